package ai.kaaj.bench;

import ai.kaaj.extraction.RuleApplicationExtractor;
import ai.kaaj.extraction.RuleCriteriaExtractor;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * bin/bench extractor [SECONDS]: the rule extractors' time on one line of 10,000, 40,000 and 200,000
 * digits (the regular expressions used to go super-linear on it). A case still running after SECONDS
 * (default 120) is reported as such and abandoned.
 */
public final class ExtractorBench {

    private ExtractorBench() {
    }

    public static void main(String[] args) throws Exception {
        long cap = args.length > 0 ? Long.parseLong(args[0]) : 120;
        RuleCriteriaExtractor criteria = new RuleCriteriaExtractor();
        RuleApplicationExtractor application = new RuleApplicationExtractor();
        criteria.extract("Minimum FICO: 650\nTime in business: 2 years"); // warm-up
        for (int length : new int[] {10_000, 40_000, 200_000}) {
            String line = "1".repeat(length);
            String criteriaTime = time(() -> criteria.extract(line), cap);
            String applicationTime = time(() -> application.extract(line), cap);
            System.out.printf(Locale.ROOT, "line of %,7d digits: criteria extractor %s, application extractor %s%n",
                    length, criteriaTime, applicationTime);
        }
        System.exit(0); // abandoned cases may still run
    }

    private static String time(Runnable extraction, long capSeconds) throws Exception {
        long started = System.nanoTime();
        CompletableFuture<Void> run = CompletableFuture.runAsync(extraction, runnable -> {
            Thread thread = new Thread(runnable, "extractor-bench");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            run.get(capSeconds, TimeUnit.SECONDS);
            return String.format(Locale.ROOT, "%,d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (TimeoutException e) {
            return "> " + capSeconds + " s (abandoned)";
        }
    }
}
