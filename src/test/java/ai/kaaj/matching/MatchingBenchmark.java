package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH, one thread: one application against 1,000 and 10,000 generated lenders (LenderGenerator, seed 7).
 * <ul>
 *   <li>{@code lender}: one lender per operation, cycling through the list, so the score is lenders/second;</li>
 *   <li>{@code allLendersRanked}: the application against every lender, then ranked; the score is applications
 *       per second (times the lender count for lenders/second).</li>
 * </ul>
 * Run with bin/bench jmh, or:
 * {@code java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" org.openjdk.jmh.Main MatchingBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class MatchingBenchmark {

    private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    @Param({"1000", "10000"})
    int lenders;

    private final MatchingEngine engine = new MatchingEngine();
    private final LoanApplication application = LenderGenerator.application();
    private List<LenderCriteria> criteria;
    private String[] names;
    private int next;

    @Setup
    public void generate() {
        criteria = new LenderGenerator(7).lenders(lenders);
        names = new String[lenders];
        for (int i = 0; i < lenders; i++) {
            names[i] = "Lender " + i;
        }
    }

    @Benchmark
    public MatchResult lender() {
        int i = next;
        next = i + 1 == lenders ? 0 : i + 1;
        return engine.evaluate(application, i, names[i], criteria.get(i), TODAY);
    }

    @Benchmark
    public List<MatchResult> allLendersRanked() {
        List<MatchResult> results = new ArrayList<>(lenders);
        for (int i = 0; i < lenders; i++) {
            results.add(engine.evaluate(application, i, names[i], criteria.get(i), TODAY));
        }
        return Ranking.rank(results);
    }
}
