package ai.kaaj.bench;

import ai.kaaj.support.DefaultSettings;
import ai.kaaj.documents.LayoutPages;
import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PageText;
import ai.kaaj.documents.PdfText;
import ai.kaaj.documents.PlacedPdf;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bin/bench layout [PAGES]: layout-aware reading ({@link PdfText}, text layer into blocks) against
 * {@code pdftotext -layout} on the same PDFs, per kind of designed page, and a generated guideline of PAGES
 * pages (default 200) read whole. bin/bench runs it on one core with the worker's JVM options
 * (config/jvm.options: its heap limit included) and prints the peak heap used.
 */
public final class LayoutBench {

    private interface Design {
        void draw(PlacedPdf pdf) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int pageCount = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        System.out.printf(Locale.ROOT, "%d processor(s) visible, max heap %d MB%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / (1 << 20));
        Map<String, Design> designs = new LinkedHashMap<>();
        designs.put("rate sheet (grid, bullets, box, 3 columns)", LayoutPages::rateSheet);
        designs.put("two prose columns", LayoutPages::twoColumns);
        designs.put("credit box table", LayoutPages::creditBox);
        designs.put("logo images and text", LayoutPages::imageAndText);
        designs.put("rotated page", LayoutPages::rotated);
        designs.put("4,000+ tiny fragments", LayoutPages::fragments);

        PdfText pdfText = new PdfText(new Ocr(null, "eng"), 300, 20, DefaultSettings.load().documentLimits());
        Path dir = Files.createTempDirectory("kaaj-layout-bench");
        System.out.println("\nOne page of each kind, ms per page (median of 15 reads after 5 warm-ups):");
        System.out.printf(Locale.ROOT, "  %-44s %10s %10s %16s%n", "page", "layout", "stripper",
                "pdftotext -layout");
        for (Map.Entry<String, Design> design : designs.entrySet()) {
            byte[] pdf = pdf(design.getValue());
            Path file = dir.resolve("page.pdf");
            Files.write(file, pdf);
            double ours = medianMillis(20, () -> pdfText.pages(pdf, "page.pdf"));
            double stripper = medianMillis(20, () -> sortedStripperText(pdf));
            double theirs = medianMillis(20, () -> run("pdftotext", "-layout", file.toString(), "-"));
            System.out.printf(Locale.ROOT, "  %-44s %10.2f %10.2f %16.2f%n", design.getKey(), ours, stripper, theirs);
        }

        List<Design> guideline = new ArrayList<>(designs.values()).subList(0, 4);
        byte[] big = pdf(pdf -> {
            for (int page = 0; page < pageCount; page++) {
                guideline.get(page % guideline.size()).draw(pdf);
            }
        });
        Path bigFile = dir.resolve("guideline.pdf");
        Files.write(bigFile, big);
        System.out.printf(Locale.ROOT, "%nA generated %d-page guideline (%d KB), read whole:%n", pageCount,
                big.length / 1024);
        resetPeakHeap();
        long start = System.nanoTime();
        List<PageText> pages = pdfText.pages(big, "guideline.pdf");
        double first = (System.nanoTime() - start) / 1e6;
        double again = medianMillis(3, () -> pdfText.pages(big, "guideline.pdf"));
        double stripper = medianMillis(3, () -> sortedStripperText(big));
        double theirs = medianMillis(3, () -> run("pdftotext", "-layout", bigFile.toString(), "-"));
        long blocks = pages.stream().mapToLong(p -> p.layout().blocks().size()).sum();
        System.out.printf(Locale.ROOT, "  layout-aware, first read            %8.0f ms  %6.2f ms/page  (%d blocks)%n",
                first, first / pageCount, blocks);
        System.out.printf(Locale.ROOT, "  layout-aware, warm (median of 3)    %8.0f ms  %6.2f ms/page%n", again,
                again / pageCount);
        System.out.printf(Locale.ROOT, "  PDFTextStripper sorted (before)     %8.0f ms  %6.2f ms/page%n", stripper,
                stripper / pageCount);
        System.out.printf(Locale.ROOT, "  pdftotext -layout (process)         %8.0f ms  %6.2f ms/page%n", theirs,
                theirs / pageCount);
        System.out.printf(Locale.ROOT, "  peak heap used while reading (sum of the heap pools' peaks, an upper bound): %d MB of %d MB%n", peakHeapBytes() / (1 << 20),
                Runtime.getRuntime().maxMemory() / (1 << 20));
    }

    private static byte[] pdf(Design design) throws Exception {
        try (PlacedPdf pdf = new PlacedPdf()) {
            design.draw(pdf);
            return pdf.bytes();
        }
    }

    /** What PdfText read before layouts: PDFBox's own text, sorted by position, page by page. */
    private static void sortedStripperText(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                stripper.getText(document);
            }
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Median wall time of the last runs - 5 of them (the first 5 warm up), or of all when fewer than 6. */
    private static double medianMillis(int runs, Work work) throws Exception {
        int warm = runs > 5 ? 5 : 0;
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            if (i >= warm) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
