package ai.kaaj.bench;

import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.matching.MatchingEngine;
import ai.kaaj.matching.LenderGenerator;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bin/bench e2e-matching: application upload (HTTP) to status matched, with 200 active lenders and
 * 8 worker slots (two workers' worth), p50/p95 over 100 applications each awaited before the next is sent, then
 * 100 sent one by one from one client without waiting for their matches, then 100 sent at once by 100 clients, three times;
 * then one application against 1,000 and 10,000 lenders through the split/aggregate route; then the
 * matching engine alone on one thread against the same 10,000 lenders, for comparison. Ends with the
 * three figures issue 14 sets targets for, on one line each.
 */
public final class MatchingEndToEndBench {

    private static final String APPLICATION = """
            {"business_name": "Rivera Excavation LLC %d", "state": "TX", "industry": "excavation contractor",
             "naics": "238910", "time_in_business_months": 48, "annual_revenue": 1800000,
             "amount_requested": %d, "term_months": 60, "equipment_type": "construction",
             "equipment_year": 2021, "equipment_condition": "used", "fico": %d, "paynet": 680,
             "bankruptcy_discharged_years_ago": null, "down_payment_pct": 10}""";

    public static void main(String[] args) throws Exception {
        try (TestApp app = TestApp.start(Map.of("kaaj.worker.slots", "8"))) {
            LenderStore lenders = new LenderStore(new Sql(app.app().database().dataSource()));
            LenderGenerator generator = new LenderGenerator(11);
            addLenders(lenders, generator, 200);
            for (int i = 0; i < 10; i++) {
                submitAndAwait(app, i);
            }
            List<Long> alone = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                alone.addAll(awaitMatched(app, List.of(submit(app, i))).latencies());
            }
            System.out.println("200 active lenders, 8 worker slots, application upload -> matched:");
            print("one at a time", alone);

            double sentOneByOne = burst(app, 100, 1);
            // three rounds: the first still pays for the JIT compiling the paths a burst takes; the median is reported
            List<Double> atOnce = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                atOnce.add(burst(app, 100, 100));
            }
            double throughput = atOnce.stream().sorted().toList().get(1);

            System.out.println("\nOne application through the calculate-matches route (split/aggregate, matchPool):");
            int total = 200;
            long[] result = null;
            for (int size : new int[] {1_000, 10_000}) {
                addLenders(lenders, generator, size - total);
                total = size;
                submitAndAwait(app, 1);
                result = submitAndAwait(app, 2);
                System.out.printf(Locale.ROOT, "  %,6d lenders: calculate-matches %,6d ms = %,9.0f lenders/s; "
                        + "upload -> matched %,6d ms%n", size, result[1], size * 1000.0 / Math.max(1, result[1]),
                        result[0]);
            }

            double engineAlone = engineAlone(app);
            System.out.printf(Locale.ROOT, "%nMatching engine alone, 1 thread, the same 10,000 lenders: %,.0f lenders/s%n",
                    engineAlone);
            System.out.printf(Locale.ROOT, "%nSummary:%n  100 applications at once, 200 lenders: %.1f applications/s "
                    + "(median of 3 rounds: %s; target >= 100; sent one by one from one client: %.1f)%n  10,000 lenders, upload -> matched: %,d ms (target < 1,000; calculate-matches "
                    + "%,d ms)%n  matching engine alone: %,.0f lenders/s on one thread%n", throughput,
                    atOnce.stream().map(rate -> String.format(Locale.ROOT, "%.1f", rate)).toList(), sentOneByOne, result[0],
                    result[1], engineAlone);
        }
    }

    /** Lenders per second of the engine on one thread, the stored lenders' criteria already parsed (best of 3 x 1 s). */
    private static double engineAlone(TestApp app) throws Exception {
        List<LenderCriteria> criteria = new Sql(app.app().database().dataSource()).query(
                "select criteria::text from lenders where status = 'active' order by id",
                row -> Json.read(row.getString(1), LenderCriteria.class));
        LoanApplication application = Json.read(String.format(Locale.ROOT, APPLICATION, 2, 30_000, 620),
                LoanApplication.class);
        MatchingEngine engine = new MatchingEngine();
        LocalDate today = LocalDate.now();
        double best = 0;
        long statuses = 0;
        for (int round = 0; round < 4; round++) {
            long evaluated = 0;
            long started = System.nanoTime();
            long deadline = started + 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                for (int i = 0; i < criteria.size(); i++) {
                    statuses += engine.evaluate(application, i, "L", criteria.get(i), today).status().ordinal();
                }
                evaluated += criteria.size();
            }
            double rate = evaluated / ((System.nanoTime() - started) / 1e9);
            // the first round warms the JIT up
            best = round == 0 ? 0 : Math.max(best, rate);
        }
        return statuses < 0 ? 0 : best;
    }

    private static void addLenders(LenderStore lenders, LenderGenerator generator, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            LenderCriteria criteria = generator.next();
            lenders.createWithCriteria("Bench Lender " + System.nanoTime(), criteria);
        }
    }

    /**
     * count applications uploaded from {@code clients} threads at the same time, each awaited until matched: the
     * throughput from the first upload to the last match, and the upload-to-matched latencies.
     */
    private static double burst(TestApp app, int count, int clients) throws Exception {
        ExecutorService uploads = Executors.newFixedThreadPool(clients);
        try {
            long started = System.currentTimeMillis();
            List<Future<Long>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                pending.add(uploads.submit(() -> submit(app, n)));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Long> upload : pending) {
                ids.add(upload.get());
            }
            Matched matched = awaitMatched(app, ids);
            List<Long> latencies = matched.latencies();
            double seconds = (matched.lastMatchedAt() - started) / 1e3;
            print(count + (clients == 1 ? " sent one by one" : " at once"), latencies);
            System.out.printf(Locale.ROOT, "  throughput: %.1f applications/s (%.0f lender evaluations/s)%n",
                    count / seconds, count * 200 / seconds);
            return count / seconds;
        } finally {
            uploads.shutdownNow();
        }
    }

    /** Each application's milliseconds from upload to match, and when the last was matched (epoch ms). */
    private record Matched(List<Long> latencies, long lastMatchedAt) {
    }

    /**
     * Waits until every application is matched (or failed), asking the database every 10 ms rather than the API
     * (whose polling would take the CPU the workers need). The times are those the database recorded, so how
     * often it is asked changes no figure.
     */
    private static Matched awaitMatched(TestApp app, List<Long> ids) throws Exception {
        Sql sql = new Sql(app.app().database().dataSource());
        long from = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
        long to = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        while (true) {
            List<long[]> done = sql.query("""
                    select (extract(epoch from coalesce(matched_at, now()) - created_at) * 1000)::bigint,
                           (extract(epoch from coalesce(matched_at, now())) * 1000)::bigint
                      from applications where id between ? and ? and status in ('matched', 'failed')""",
                    row -> new long[] {row.getLong(1), row.getLong(2)}, from, to);
            if (done.size() >= ids.size()) {
                return new Matched(done.stream().map(one -> one[0]).toList(),
                        done.stream().mapToLong(one -> one[1]).max().orElseThrow());
            }
            Thread.sleep(10);
        }
    }

    private static long submit(TestApp app, int i) throws Exception {
        TestApp.Response response = app.postJson("/api/applications",
                String.format(Locale.ROOT, APPLICATION, i, 20_000 + (i % 40) * 5_000, 600 + i % 20 * 10));
        return response.json().path("application_id").asLong();
    }

    /** Upload-to-matched milliseconds and the calculate-matches step's milliseconds. */
    private static long[] submitAndAwait(TestApp app, int i) throws Exception {
        long started = System.nanoTime();
        return await(app, submit(app, i), started);
    }

    private static long[] await(TestApp app, long id, long started) throws Exception {
        while (true) {
            JsonNode json = app.get("/api/applications/" + id).json();
            String status = json.path("status").asText();
            if (status.equals("matched") || status.equals("failed")) {
                long millis = (System.nanoTime() - started) / 1_000_000;
                long calculate = 0;
                for (JsonNode step : json.path("run").path("steps")) {
                    if (step.path("step").asText().equals("calculate-matches")) {
                        calculate = step.path("duration_ms").asLong();
                    }
                }
                return new long[] {millis, calculate};
            }
            Thread.sleep(2);
        }
    }

    private static void print(String label, List<Long> millis) {
        System.out.printf(Locale.ROOT, "  %-20s n=%d  p50 %4d ms  p95 %4d ms  max %4d ms%n", label, millis.size(),
                LenderPipelineBench.percentile(millis, 50), LenderPipelineBench.percentile(millis, 95),
                LenderPipelineBench.percentile(millis, 100));
    }
}
