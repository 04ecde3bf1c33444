package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * bin/bench matching: the matching engine alone, without the JMH harness. One application against 1,000 and
 * 10,000 generated lenders (LenderGenerator, seed 7) on one thread: warms up, then times whole passes over the
 * lenders for a few one-second rounds and prints lenders/second and criterion checks/second (the checks evaluate
 * actually performs: every program's, and the lender-wide ones once per lender), plus the time one application
 * takes against all lenders, with and without ranking.
 *
 * <pre>
 * mvn -q -B test-compile
 * mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" ai.kaaj.matching.MatchingBench [rounds]
 * </pre>
 */
public final class MatchingBench {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
    private static final int[] SIZES = {1_000, 10_000};

    /** Keeps the JIT from dropping work whose result is unused. */
    private static long sink;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        MatchingEngine engine = new MatchingEngine();
        LoanApplication application = LenderGenerator.application();
        System.out.printf(Locale.ROOT, "Matching engine alone, 1 thread, %s, %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"));

        List<Workload> workloads = new ArrayList<>();
        for (int size : SIZES) {
            workloads.add(new Workload(size));
        }
        for (Workload w : workloads) {
            timeFor(2_000, () -> pass(engine, application, w));
            timeFor(1_000, () -> Ranking.rank(results(engine, application, w)).size());
        }
        for (Workload w : workloads) {
            long[] statuses = new long[MatchResult.Status.values().length];
            for (int i = 0; i < w.size; i++) {
                statuses[engine.evaluate(application, i, w.names[i], w.lenders.get(i), TODAY).status().ordinal()]++;
            }
            double[] lendersPerSecond = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                long passes = 0;
                long started = System.nanoTime();
                long deadline = started + 1_000_000_000L;
                long now;
                do {
                    pass(engine, application, w);
                    passes++;
                    now = System.nanoTime();
                } while (now < deadline);
                lendersPerSecond[round] = passes * (double) w.size / ((now - started) / 1e9);
            }
            double[] sorted = lendersPerSecond.clone();
            Arrays.sort(sorted);
            double median = sorted[rounds / 2];
            double best = sorted[rounds - 1];
            double rankMs = timeFor(1_000, () -> Ranking.rank(results(engine, application, w)).size());
            System.out.printf(Locale.ROOT, "%,7d lenders: %,11.0f lenders/s  %,13.0f criterion checks/s  (median of %d"
                            + " x 1 s; best %,.0f lenders/s)%n", w.size, median, median * w.checksPerLender(), rounds,
                    best);
            System.out.printf(Locale.ROOT, "                one application against all: %.2f ms; with ranking: %.2f ms;"
                            + " %.1f checks per lender; eligible %d, conditional %d, ineligible %d, error %d%n",
                    w.size / median * 1000, rankMs, w.checksPerLender(), statuses[0], statuses[1], statuses[2],
                    statuses[3]);
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** The lenders of one size, their names and how many checks a pass over them performs. */
    private static final class Workload {
        final int size;
        final List<LenderCriteria> lenders;
        final String[] names;
        final long checksPerPass;

        Workload(int size) {
            this.size = size;
            this.lenders = new LenderGenerator(7).lenders(size);
            this.names = new String[size];
            long checks = 0;
            for (int i = 0; i < size; i++) {
                names[i] = "Lender " + i;
                checks += MatchingEngine.checkCount(lenders.get(i));
            }
            this.checksPerPass = checks;
        }

        double checksPerLender() {
            return checksPerPass / (double) size;
        }
    }

    /** One application against every lender of the workload. */
    private static long pass(MatchingEngine engine, LoanApplication application, Workload w) {
        long acc = 0;
        for (int i = 0; i < w.size; i++) {
            MatchResult result = engine.evaluate(application, i, w.names[i], w.lenders.get(i), TODAY);
            acc += result.score() + result.criteria().size();
        }
        sink += acc;
        return acc;
    }

    private static List<MatchResult> results(MatchingEngine engine, LoanApplication application, Workload w) {
        List<MatchResult> results = new ArrayList<>(w.size);
        for (int i = 0; i < w.size; i++) {
            results.add(engine.evaluate(application, i, w.names[i], w.lenders.get(i), TODAY));
        }
        return results;
    }

    /** Runs the work repeatedly for about the given milliseconds; returns the mean milliseconds per run. */
    private static double timeFor(long millis, java.util.function.LongSupplier work) {
        long runs = 0;
        long started = System.nanoTime();
        long deadline = started + millis * 1_000_000L;
        long now;
        do {
            sink += work.getAsLong();
            runs++;
            now = System.nanoTime();
        } while (now < deadline);
        return (now - started) / 1e6 / runs;
    }
}
