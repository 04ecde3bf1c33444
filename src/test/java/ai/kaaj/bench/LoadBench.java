package ai.kaaj.bench;

import ai.kaaj.KaajApplication;
import ai.kaaj.domain.Json;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.matching.LenderGenerator;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.WorkerProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * bin/bench load [workers...]: 50 lender PDFs and 1,000 JSON applications against 100 active lenders,
 * with 1, 2 and 4 worker processes (default), each a separate JVM as start_workers.sh runs them.
 * Prints completed workflows/second, p50/p95 upload-to-done latency, peak RSS per worker, and checks
 * that every upload reached a terminal state exactly once.
 */
public final class LoadBench {

    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? new int[] {1, 2, 4} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt)
                .toArray();
        List<byte[]> pdfs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pdfs.add(GuidelinePdfs.textPdf(BenchGuidelines.fivePages(i)));
        }
        for (int workers : counts) {
            run(workers, pdfs);
        }
    }

    private static void run(int workers, List<byte[]> pdfs) throws Exception {
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-load");
        try (TestApp api = TestApp.start(KaajApplication.Role.API, Map.of("database.url", url))) {
            Sql sql = new Sql(api.app().database().dataSource());
            LenderStore lenders = new LenderStore(sql);
            LenderGenerator generator = new LenderGenerator(3);
            for (int i = 0; i < 100; i++) {
                lenders.createWithCriteria("Load Lender " + i, generator.next());
            }
            List<WorkerProcess> processes = new ArrayList<>();
            for (int i = 1; i <= workers; i++) {
                processes.add(WorkerProcess.start(i, url, logs, Map.of("KAAJ_WORKER_SLOTS", "4")));
            }
            Map<Long, Long> rssPeak = new ConcurrentHashMap<>();
            long started = System.nanoTime();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> uploads = new ArrayList<>();
            for (int i = 0; i < pdfs.size(); i++) {
                int n = i;
                uploads.add(clients.submit(() -> api.upload("/api/lenders/upload", "load" + n + ".pdf", pdfs.get(n),
                        Map.of("name", "Load PDF Lender " + n))));
            }
            for (int i = 0; i < 1000; i++) {
                int n = i;
                uploads.add(clients.submit(() -> api.postJson("/api/applications", String.format(Locale.ROOT,
                        "{\"business_name\": \"Load %d\", \"state\": \"TX\", \"fico\": %d, \"amount_requested\": %d, "
                                + "\"time_in_business_months\": 36, \"industry\": \"construction\"}",
                        n, 600 + n % 25 * 10, 10_000 + n % 50 * 10_000))));
            }
            for (var upload : uploads) {
                upload.get();
            }
            clients.shutdown();
            int total = pdfs.size() + 1000;
            while (terminalRuns(sql) < total) {
                for (WorkerProcess process : processes) {
                    rssPeak.merge(process.pid(), peakRss(process.pid()), Math::max);
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            for (WorkerProcess process : processes) {
                rssPeak.merge(process.pid(), peakRss(process.pid()), Math::max);
            }
            List<Long> latencies = sql.query("select extract(epoch from (finished_at - created_at)) * 1000 "
                    + "from workflow_runs", row -> row.getLong(1));
            System.out.printf(Locale.ROOT, "%d worker(s) x 4 slots: %d workflows in %.1f s = %.1f workflows/s; "
                            + "latency p50 %d ms, p95 %d ms; peak RSS per worker %s MB%n", workers, total, seconds,
                    total / seconds, LenderPipelineBench.percentile(latencies, 50),
                    LenderPipelineBench.percentile(latencies, 95),
                    rssPeak.values().stream().map(kb -> Long.toString(kb / 1024)).toList());
            System.out.println("  exactly once: " + exactlyOnce(sql));
            for (WorkerProcess process : processes) {
                process.close();
            }
        }
    }

    private static int terminalRuns(Sql sql) {
        return sql.queryOne("select count(*) from workflow_runs where status in ('succeeded', 'failed')",
                row -> row.getInt(1)).orElseThrow();
    }

    /** Every upload has one run, finished once; results are one set per subject. */
    private static String exactlyOnce(Sql sql) {
        int runs = sql.queryOne("select count(*) from workflow_runs", row -> row.getInt(1)).orElseThrow();
        int failed = sql.queryOne("select count(*) from workflow_runs where status <> 'succeeded'",
                row -> row.getInt(1)).orElseThrow();
        int matched = sql.queryOne("select count(*) from applications where status = 'matched'",
                row -> row.getInt(1)).orElseThrow();
        // Lenders from the PDFs turn active during the run: an application has the 100 lenders it started
        // with plus those active when it was matched, never a pending or doubled row (the key forbids it).
        String rows = sql.queryOne("""
                select min(n) || '..' || max(n) from (select count(*) n from matches group by application_id) per""",
                row -> row.getString(1)).orElseThrow();
        int pending = sql.queryOne("select count(*) from matches where status = 'pending'", row -> row.getInt(1))
                .orElseThrow();
        int versions = sql.queryOne("select count(*) from lender_criteria where run_id is not null",
                row -> row.getInt(1)).orElseThrow();
        int activeFromPdf = sql.queryOne("select count(*) from lenders where status = 'active' "
                + "and criteria_source = 'rules'", row -> row.getInt(1)).orElseThrow();
        return String.format(Locale.ROOT, "%d runs, %d not succeeded, %d applications matched with %s match rows "
                        + "each (%d pending), %d criteria versions written by runs for %d lenders from PDFs",
                runs, failed, matched, rows, pending, versions, activeFromPdf);
    }

    /** VmHWM: the process's peak resident set, in kB. */
    private static long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception ignored) {
            // the process has exited
        }
        return 0;
    }
}
