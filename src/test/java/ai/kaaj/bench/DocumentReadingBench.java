package ai.kaaj.bench;

import ai.kaaj.KaajApplication;
import ai.kaaj.documents.HostilePdfs;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * bin/bench documents: peak resident memory of a worker process (production JVM options) reading a
 * heavy document, and of the reader process it starts for it. A fresh worker per document, so each
 * peak is that document's. Memory is sampled every 10 ms from /proc (VmHWM is the kernel's own peak
 * for each process; "together" is the largest sum of both seen at one sample).
 */
public final class DocumentReadingBench {

    private DocumentReadingBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, byte[]> documents = new LinkedHashMap<>();
        documents.put("600-dpi colour scan, letter page", HostilePdfs.colourScan600Dpi(
                "Minimum FICO: 670\nTime in business: 2 years\nMaximum term: 60 months\n"
                        + "Transaction size: $10,000 - $200,000\nRestricted industries: cannabis, gambling"));
        documents.put("300-page text PDF", GuidelinePdfs.textPdf(IntStream.range(0, 300)
                .mapToObj(BenchGuidelines::onePage).collect(Collectors.joining("\f"))));
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-bench-documents");
        System.out.println("Worker: config/jvm.options; reader: its own JVM, -Xmx from kaaj.reader.heap.mb");
        try (TestApp api = TestApp.start(KaajApplication.Role.API, Map.of("database.url", url))) {
            int number = 0;
            for (Map.Entry<String, byte[]> document : documents.entrySet()) {
                number++;
                try (WorkerProcess worker = WorkerProcess.start(number, url, logs, Map.of("KAAJ_WORKER_SLOTS", "1"))) {
                    measure(api, worker, document.getKey(), document.getValue());
                }
            }
        }
    }

    private static void measure(TestApp api, WorkerProcess worker, String name, byte[] pdf) throws Exception {
        long started = System.nanoTime();
        TestApp.Response accepted = api.upload("/api/lenders/upload", "bench.pdf", pdf, Map.of("name", name));
        long lenderId = accepted.json().path("lender_id").asLong();
        long readerPeak = 0;
        long together = 0;
        JsonNode lender;
        while (true) {
            List<ProcessHandle> readers = worker.children();
            long readersNow = 0;
            for (ProcessHandle reader : readers) {
                readersNow += status(reader.pid(), "VmRSS:");
                readerPeak = Math.max(readerPeak, status(reader.pid(), "VmHWM:"));
            }
            together = Math.max(together, status(worker.pid(), "VmRSS:") + readersNow);
            lender = api.get("/api/lenders/" + lenderId).json();
            if (lender.path("status").asText().matches("active|failed")) {
                break;
            }
            Thread.sleep(10);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(Locale.ROOT, "%-34s %6.1f MB  %-6s in %5.1f s   worker peak RSS %4d MB   reader peak RSS "
                        + "%4d MB   together %4d MB%n", name, pdf.length / 1e6, lender.path("status").asText(),
                seconds / 1000.0, status(worker.pid(), "VmHWM:") / 1024, readerPeak / 1024, together / 1024);
        if (lender.path("status").asText().equals("failed")) {
            System.out.println("  " + lender.path("error").asText());
        }
    }

    /** A kB figure from /proc/<pid>/status, 0 once the process has gone. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (Exception ignored) {
            // the process has exited
        }
        return 0;
    }
}
