package ai.kaaj.bench;

import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PageText;
import ai.kaaj.documents.PdfText;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.extraction.CriteriaValidator;
import ai.kaaj.extraction.DesignedCorpus;
import ai.kaaj.extraction.DesignedCorpus.Document;
import ai.kaaj.extraction.FieldScore;
import ai.kaaj.extraction.GuidelineLine;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.support.DefaultSettings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Field-level precision, recall and F1 of the rule extractor on the designed corpus, each PDF read as
 * production reads an upload (PdfText with its page layout, OCR for image pages) and reviews it (validate-enrich),
 * how many of these lenders would wait for review and the time spent per page. The text read and the criteria extracted are kept in
 * target/designed-corpus/ for reading.
 * <pre>bin/bench corpus [batch-N ...]</pre>
 */
public final class CorpusBench {

    /** As config/application.properties sets them for production: kaaj.ocr.dpi and kaaj.ocr.min.text.chars. */
    private static final int OCR_DPI = 300;
    private static final int OCR_MIN_TEXT_CHARS = 20;
    private static final int MISTAKES_SHOWN = 40;
    private static final int MISSES_PER_DOCUMENT = 4;
    /** Each document's text as read and its extracted criteria, for reading why a field was missed. */
    private static final Path OUT = Path.of("target/designed-corpus");

    private record Scored(Document document, FieldScore score, String methods, int expectedPrograms,
                          int extractedPrograms, int warnings) {
    }

    public static void main(String[] args) throws Exception {
        List<Document> documents = DesignedCorpus.documents(List.of(args));
        if (documents.isEmpty()) {
            System.err.println("no designed documents under " + DesignedCorpus.ROOT + " for " + List.of(args));
            System.exit(2);
        }
        Ocr ocr = new Ocr(null, "eng");
        if (!ocr.isAvailable() && documents.stream().anyMatch(Document::scanned)) {
            System.err.println("OCR is unavailable (" + ocr.unavailableReason().orElse("") + "): " + Ocr.INSTALL_HINT);
            System.exit(2);
        }
        PdfText pdfText = new PdfText(ocr, OCR_DPI, OCR_MIN_TEXT_CHARS, DefaultSettings.load().documentLimits());
        RuleCriteriaExtractor extractor = new RuleCriteriaExtractor();
        Map<String, FieldScore> batches = new LinkedHashMap<>();
        FieldScore total = new FieldScore();
        List<Scored> scored = new ArrayList<>();
        Files.createDirectories(OUT);
        long nanos = 0;
        int pageCount = 0;
        for (Document document : documents) {
            long start = System.nanoTime();
            List<PageText> pages = pdfText.pages(Files.readAllBytes(document.pdf()), document.pdf().getFileName().toString());
            CriteriaReading reading = CriteriaValidator.review(extractor.read(GuidelineLine.ofPages(pages)));
            nanos += System.nanoTime() - start;
            pageCount += pages.size();
            String text = pages.stream().map(PageText::text).collect(Collectors.joining("\f"));
            LenderCriteria extracted = reading.criteria();
            Files.writeString(OUT.resolve(document.name() + ".txt"), text, StandardCharsets.UTF_8);
            Files.writeString(OUT.resolve(document.name() + ".extracted.json"), Json.write(extracted),
                    StandardCharsets.UTF_8);
            LenderCriteria expected = DesignedCorpus.expected(document);
            FieldScore score = new FieldScore().add(document.name(), expected, extracted);
            batches.computeIfAbsent(document.batch(), b -> new FieldScore()).addAll(score);
            total.addAll(score);
            String methods = pages.stream().map(PageText::method).distinct().collect(Collectors.joining("+"));
            scored.add(new Scored(document, score, methods + " " + pages.size() + "p", count(expected), count(extracted),
                    reading.warnings().size()));
        }

        System.out.println("Rule extractor on the designed corpus (" + documents.size() + " PDFs read as uploads; "
                + "text and extracted criteria in " + OUT + ")");
        System.out.printf(Locale.ROOT, "%-8s %-36s %-9s %-9s %s%n", "batch", "document", "read", "programs", "score");
        for (Scored s : scored) {
            System.out.printf(Locale.ROOT, "%-8s %-36s %-9s %3d/%-5d %s%n", s.document().batch(), s.document().name(),
                    s.methods(), s.extractedPrograms(), s.expectedPrograms(), s.score());
        }
        System.out.println("\n(programs: extracted/expected)");
        batches.forEach((batch, score) -> System.out.printf(Locale.ROOT, "%-45s %s%n", batch, score));
        System.out.printf(Locale.ROOT, "%-45s %s%n", "TOTAL", total);

        System.out.printf(Locale.ROOT, "%nRead, extracted and reviewed in %.0f ms per page (%d pages, OCR included)%n",
                nanos / 1e6 / pageCount, pageCount);
        List<Scored> flagged = scored.stream().filter(s -> s.warnings() > 0).toList();
        System.out.println("Lenders that would wait for review (warnings): " + flagged.size() + " of " + scored.size());
        flagged.forEach(s -> System.out.println("  " + s.document().name() + ": " + s.warnings() + " warnings"));

        System.out.println("\nErrors by field (false positives / false negatives):");
        for (Map.Entry<String, int[]> field : total.errorsByField()) {
            System.out.printf(Locale.ROOT, "  %-28s FP %3d  FN %3d%n", field.getKey(), field.getValue()[0],
                    field.getValue()[1]);
        }
        System.out.println("\nWrong values (set by the extractor, not what a careful reader records), first "
                + MISTAKES_SHOWN + " of " + total.wrongValues().size() + ":");
        total.wrongValues().stream().limit(MISTAKES_SHOWN).forEach(m -> System.out.println("  " + m));
        System.out.println("\nMissed values, weakest documents first (" + MISSES_PER_DOCUMENT + " of each):");
        scored.stream().sorted(Comparator.comparingDouble(s -> s.score().f1())).forEach(s -> {
            List<String> missed = s.score().mistakes().stream().filter(m -> !s.score().wrongValues().contains(m))
                    .toList();
            missed.stream().limit(MISSES_PER_DOCUMENT).forEach(m -> System.out.println("  " + m));
            if (missed.size() > MISSES_PER_DOCUMENT) {
                System.out.println("  … and " + (missed.size() - MISSES_PER_DOCUMENT) + " more");
            }
        });
    }

    private static int count(LenderCriteria criteria) {
        return criteria.programs() == null ? 0 : criteria.programs().size();
    }

}
