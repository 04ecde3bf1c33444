package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH: one application against N generated lenders, single thread; the score is evaluations of the
 * whole lender list per second (multiply by N for lenders/second). Run with bin/bench jmh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatchingBenchmark {

    @Param({"1000", "10000"})
    int lenders;

    private List<LenderCriteria> criteria;
    private final LoanApplication application = LenderGenerator.application();
    private final MatchingEngine engine = new MatchingEngine();
    private final LocalDate today = LocalDate.now();

    @Setup
    public void generate() {
        criteria = new LenderGenerator(7).lenders(lenders);
    }

    @Benchmark
    public void evaluateAllLenders(Blackhole blackhole) {
        for (int i = 0; i < criteria.size(); i++) {
            blackhole.consume(engine.evaluate(application, i, "Lender", criteria.get(i), today));
        }
    }
}
