package ai.kaaj.extraction;

import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PageText;
import ai.kaaj.documents.PdfText;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.extraction.DesignedCorpus.Document;
import ai.kaaj.support.DefaultSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The designed guideline PDFs read as uploads are (PdfText with page layout and OCR, the rule extractor, then the
 * validate-enrich review): precision first, evidence for every value, and no document that fails its lender. The
 * floors are today's figures less a margin, so a change that reads these layouts worse fails here. Batches 1-4 have been
 * tuned on (batch 4 after it was first scored held out); a later held-out batch's figure is the one to trust for new
 * documents, and it is not floored here.
 * {@code bin/bench corpus} prints each document's.
 */
class DesignedCorpusReadingTest {

    @Test
    void theDesignedGuidelinesAreReadPreciselyWithEvidenceForEveryValue() throws Exception {
        Ocr ocr = new Ocr(null, "eng");
        assertThat(ocr.isAvailable()).as("tesseract is installed (.ci/run installs it)").isTrue();
        PdfText pdfText = new PdfText(ocr, 300, 20, DefaultSettings.load().documentLimits());
        RuleCriteriaExtractor rules = new RuleCriteriaExtractor();
        FieldScore tunedOn = new FieldScore();
        FieldScore batch3 = new FieldScore();
        FieldScore batch4 = new FieldScore();
        List<Document> documents = DesignedCorpus.documents(List.of());
        for (Document document : documents) {
            List<PageText> pages = pdfText.pages(Files.readAllBytes(document.pdf()), document.name());
            CriteriaReading reading = CriteriaValidator.review(rules.read(GuidelineLine.ofPages(pages)));
            LenderCriteria expected = DesignedCorpus.expected(document);
            FieldScore score = new FieldScore().add(document.name(), expected, reading.criteria());
            if (document.batch().equals("batch-4")) {
                batch4.addAll(score);
            } else if (List.of("batch-1", "batch-2", "batch-3").contains(document.batch())) {
                tunedOn.addAll(score);
            }
            if (document.batch().equals("batch-3")) {
                batch3.addAll(score);
            }
            assertThat(reading.evidence().keySet()).as(document.name() + ": every value read has its evidence")
                    .containsAll(CriteriaReading.values(reading.criteria()).keySet().stream()
                            .filter(path -> !path.endsWith(".name")).toList());
        }
        System.out.println("Designed corpus, batches 1-3: " + tunedOn + "; batch-3: " + batch3 + "; batch-4: " + batch4);

        assertThat(documents).hasSizeGreaterThanOrEqualTo(39);
        assertThat(tunedOn.precision()).as("precision over batches 1-3").isGreaterThanOrEqualTo(0.96);
        assertThat(tunedOn.f1()).as("F1 over batches 1-3").isGreaterThanOrEqualTo(0.84);
        assertThat(batch3.precision()).as("precision on batch 3").isGreaterThanOrEqualTo(0.97);
        assertThat(batch3.f1()).as("F1 on batch 3").isGreaterThanOrEqualTo(0.78);
        assertThat(batch4.precision()).as("precision on batch 4").isGreaterThanOrEqualTo(0.94);
        assertThat(batch4.f1()).as("F1 on batch 4").isGreaterThanOrEqualTo(0.76);
    }
}
