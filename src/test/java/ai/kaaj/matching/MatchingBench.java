package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * bin/bench matching: the matching engine alone, one application against 1,000 and 10,000 generated
 * lenders on one thread. Prints lenders/second and criterion checks/second.
 */
public final class MatchingBench {

    public static void main(String[] args) {
        MatchingEngine engine = new MatchingEngine();
        LoanApplication application = LenderGenerator.application();
        LocalDate today = LocalDate.now();
        for (int size : new int[] {1_000, 10_000}) {
            List<LenderCriteria> lenders = new LenderGenerator(7).lenders(size);
            run(engine, application, lenders, today, 2_000_000);
            long checks = 0;
            long evaluated = 0;
            long started = System.nanoTime();
            while (System.nanoTime() - started < 3_000_000_000L) {
                checks += run(engine, application, lenders, today, 0);
                evaluated += lenders.size();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "%,6d lenders: %,12.0f lenders/s  %,14.0f criterion checks/s  (1 thread, "
                    + "%.1f s)%n", size, evaluated / seconds, checks / seconds, seconds);
        }
    }

    /** Evaluates every lender (at least minEvaluations times over) and returns the checks performed. */
    private static long run(MatchingEngine engine, LoanApplication application, List<LenderCriteria> lenders,
                            LocalDate today, long minEvaluations) {
        long checks = 0;
        long done = 0;
        do {
            for (int i = 0; i < lenders.size(); i++) {
                MatchResult result = engine.evaluate(application, i, "Lender " + i, lenders.get(i), today);
                checks += result.criteria().size();
            }
            done += lenders.size();
        } while (done < minEvaluations);
        return checks;
    }
}
