package ai.kaaj.bench;

import ai.kaaj.config.HatchetSettings;
import ai.kaaj.config.HatchetToken;
import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.HatchetClient;
import ai.kaaj.hatchet.HatchetWorker;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.Database;
import ai.kaaj.store.HatchetRunStore;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.RunStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bin/bench hatchet [SLOTS]: step dispatch through the bridge against the in-process engine on loopback.
 * Each step is a route that does nothing, so the time from the engine sending START_STEP_RUN to it
 * receiving COMPLETED is the bridge's overhead: the stream, the STARTED report, recording the step in
 * PostgreSQL (run, started, succeeded), the route call and the COMPLETED report. 1,000 steps one at a
 * time, then 1,000 at once for throughput with one worker.
 */
public final class HatchetDispatchBench {

    private static final WorkflowDefinition BENCH = new WorkflowDefinition("bench", "Bench", "bench:event",
            List.of(new StepDefinition("step", List.of(), Duration.ofSeconds(30), 0)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(30), 0));

    public static void main(String[] args) throws Exception {
        int slots = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        try (TestHatchet engine = new TestHatchet(); Database database = TestDatabase.open();
             CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bench.step").routeId("bench.step").setBody(constant(Map.of("ok", true)));
                }
            });
            camel.start();
            HatchetSettings settings = new HatchetSettings(engine.token(),
                    HatchetToken.parse(engine.token(), Clock.systemUTC()), engine.hostPort(), false, null, null, "", null,
                    HatchetSettings.StartMode.TRIGGER);
            try (HatchetClient connection = HatchetClient.open(settings, Duration.ofMillis(100))) {
                connection.putWorkflows(List.of(BENCH));
                HatchetWorker worker = new HatchetWorker(connection, new HatchetRunStore(new Sql(database.dataSource())),
                        List.of(BENCH), new ProductMetrics(new SimpleMeterRegistry()), "bench-worker", slots,
                        Duration.ofMinutes(1), Clock.systemUTC());
                worker.start(new StepRunner(camel.createProducerTemplate(), slots));
                try {
                    oneAtATime(engine, 300);
                    int before = engine.dispatchNanos().size();
                    oneAtATime(engine, 1000);
                    List<Long> sequential = engine.dispatchNanos().subList(before, engine.dispatchNanos().size());
                    System.out.printf(Locale.ROOT, "Hatchet bridge, one worker with %d slots, no-op step route, "
                            + "engine on loopback%n", slots);
                    print("1,000 steps one at a time, START_STEP_RUN -> COMPLETED", sequential);

                    before = engine.dispatchNanos().size();
                    long started = System.nanoTime();
                    List<Run> runs = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        runs.add(engine.trigger("bench", "{\"i\":" + i + "}"));
                    }
                    for (Run run : runs) {
                        awaitDone(engine, run);
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    print("1,000 steps at once", engine.dispatchNanos().subList(before, engine.dispatchNanos().size()));
                    System.out.printf(Locale.ROOT, "  throughput: %.0f steps/s%n", 1000 / seconds);
                } finally {
                    worker.stop(Duration.ofSeconds(5));
                }
            }
        }
    }

    private static void oneAtATime(TestHatchet engine, int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            awaitDone(engine, engine.trigger("bench", "{\"i\":" + i + "}"));
        }
    }

    private static void awaitDone(TestHatchet engine, Run run) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (run.status == RunStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run did not finish: " + engine.describeRuns());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        if (run.status != RunStatus.COMPLETED) {
            throw new IllegalStateException("run " + run.id + " ended " + run.status);
        }
    }

    private static void print(String label, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        System.out.printf(Locale.ROOT, "  %s: p50 %.2f ms, p95 %.2f ms, max %.2f ms (%d steps)%n", label,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.95)) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6, sorted.size());
    }
}
