package ai.kaaj.bench;

import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PdfText;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.DefaultSettings;
import ai.kaaj.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * bin/bench lenders [N]: N generated guideline PDFs (a quarter scanned) through the running
 * pipeline over HTTP. Prints documents/second, per-document latency p50/p95 (each document alone,
 * and all at once), per-step medians, and our text and OCR against pdftotext and tesseract on the
 * same pages.
 */
public final class LenderPipelineBench {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<byte[]> textPdfs = new ArrayList<>();
        List<byte[]> scannedPdfs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 4 == 3) {
                scannedPdfs.add(GuidelinePdfs.scannedPdf(BenchGuidelines.onePage(i)));
            } else {
                textPdfs.add(GuidelinePdfs.textPdf(BenchGuidelines.fivePages(i)));
            }
        }
        System.out.printf(Locale.ROOT, "%d documents: %d text (5 pages), %d scanned (1 page)%n", count,
                textPdfs.size(), scannedPdfs.size());
        try (TestApp app = TestApp.start(Map.of("kaaj.worker.slots", "2", "kaaj.max.upload.mb", "100"))) {
            // Warm-up: class loading and JIT, not counted.
            run(app, List.of(textPdfs.get(0)), "warm", false);
            Map<String, List<Long>> steps = new TreeMap<>();
            List<Long> aloneText = run(app, textPdfs, "alone-text", true, steps);
            List<Long> aloneScanned = run(app, scannedPdfs, "alone-scan", true, steps);
            System.out.println("\nEach document alone (upload -> lender active):");
            print("text PDF, 5 pages", aloneText);
            print("scanned PDF, 1 page", aloneScanned);

            List<byte[]> all = new ArrayList<>(textPdfs);
            all.addAll(scannedPdfs);
            long start = System.nanoTime();
            List<Long> together = run(app, all, "together", false, new HashMap<>());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "%nAll %d uploaded at once, 2 worker slots: %.2f documents/second%n",
                    all.size(), all.size() / seconds);
            print("latency under load", together);

            System.out.println("\nStep medians (documents alone):");
            steps.forEach((step, durations) -> System.out.printf(Locale.ROOT, "  %-18s %6d ms%n", step,
                    percentile(durations, 50)));
        }
        compareWithCommandLineTools(textPdfs, scannedPdfs);
    }

    private static List<Long> run(TestApp app, List<byte[]> pdfs, String tag, boolean oneByOne) throws Exception {
        return run(app, pdfs, tag, oneByOne, new HashMap<>());
    }

    /** Uploads the PDFs (one by one, or all first) and returns each one's upload-to-active milliseconds. */
    private static List<Long> run(TestApp app, List<byte[]> pdfs, String tag, boolean oneByOne,
                                  Map<String, List<Long>> steps) throws Exception {
        List<Long> latencies = new ArrayList<>();
        List<long[]> pending = new ArrayList<>();
        for (int i = 0; i < pdfs.size(); i++) {
            long started = System.nanoTime();
            TestApp.Response response = app.upload("/api/lenders/upload", tag + i + ".pdf", pdfs.get(i),
                    Map.of("name", "Bench " + tag + " " + i + " " + System.nanoTime()));
            pending.add(new long[] {response.json().path("lender_id").asLong(), started});
            if (oneByOne) {
                latencies.add(awaitActive(app, pending.remove(0), steps));
            }
        }
        for (long[] lender : pending) {
            latencies.add(awaitActive(app, lender, steps));
        }
        return latencies;
    }

    private static long awaitActive(TestApp app, long[] lender, Map<String, List<Long>> steps) throws Exception {
        while (true) {
            JsonNode json = app.get("/api/lenders/" + lender[0]).json();
            String status = json.path("status").asText();
            if (status.equals("active") || status.equals("failed")) {
                long millis = (System.nanoTime() - lender[1]) / 1_000_000;
                if (status.equals("failed")) {
                    System.out.println("  lender " + lender[0] + " failed: " + json.path("error").asText());
                }
                for (JsonNode step : json.path("run").path("steps")) {
                    steps.computeIfAbsent(step.path("step").asText(), k -> new ArrayList<>())
                            .add(step.path("duration_ms").asLong());
                }
                return millis;
            }
            Thread.sleep(5);
        }
    }

    private static void compareWithCommandLineTools(List<byte[]> textPdfs, List<byte[]> scannedPdfs) throws Exception {
        System.out.println("\nSame pages, ours (in process) vs the command-line tools:");
        Path dir = Files.createTempDirectory("kaaj-bench");
        Ocr ocr = new Ocr(null, "eng");
        PdfText pdfText = new PdfText(ocr, 300, 20, DefaultSettings.load().documentLimits());
        long ours = 0;
        long theirs = 0;
        for (int i = 0; i < textPdfs.size(); i++) {
            Path file = dir.resolve("text" + i + ".pdf");
            Files.write(file, textPdfs.get(i));
            long start = System.nanoTime();
            pdfText.pages(textPdfs.get(i), file.getFileName().toString());
            ours += System.nanoTime() - start;
            theirs += time("pdftotext", "-layout", file.toString(), "-");
        }
        ratio("text layer: PdfText vs pdftotext", textPdfs.size(), ours, theirs);
        if (!ocr.isAvailable()) {
            System.out.println("  OCR: skipped, " + ocr.unavailableReason().orElse(""));
            return;
        }
        ours = 0;
        theirs = 0;
        for (int i = 0; i < scannedPdfs.size(); i++) {
            BufferedImage image;
            try (PDDocument document = Loader.loadPDF(scannedPdfs.get(i))) {
                image = new PDFRenderer(document).renderImageWithDPI(0, 300, ImageType.GRAY);
            }
            Path png = dir.resolve("scan" + i + ".png");
            ImageIO.write(image, "png", png.toFile());
            long start = System.nanoTime();
            ocr.recognise(image);
            ours += System.nanoTime() - start;
            theirs += time("tesseract", png.toString(), "-", "-l", "eng");
        }
        ratio("OCR: tess4j vs tesseract CLI, same 300 dpi images", scannedPdfs.size(), ours, theirs);
    }

    private static long time(String... command) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return System.nanoTime() - start;
    }

    private static void ratio(String what, int pages, long oursNanos, long theirsNanos) {
        System.out.printf(Locale.ROOT, "  %-52s ours %7.1f ms/doc, theirs %7.1f ms/doc, ratio %.2f%n", what,
                oursNanos / 1e6 / pages, theirsNanos / 1e6 / pages, (double) oursNanos / theirsNanos);
    }

    private static void print(String label, List<Long> millis) {
        if (millis.isEmpty()) {
            return;
        }
        System.out.printf(Locale.ROOT, "  %-22s n=%-3d p50 %6d ms   p95 %6d ms%n", label, millis.size(),
                percentile(millis, 50), percentile(millis, 95));
    }

    static long percentile(List<Long> values, int percentile) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
