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
 * tuned on (batch 4 was held out until batch 5 was written); batch 5 is held out (never read to change the extractor):
 * its figure is the one to trust for new documents. {@code bin/bench corpus} prints each document's.
 */
class DesignedCorpusReadingTest {

    @Test
    void theDesignedGuidelinesAreReadPreciselyWithEvidenceForEveryValue() throws Exception {
        Ocr ocr = new Ocr(null, "eng");
        assertThat(ocr.isAvailable()).as("tesseract is installed (.ci/run installs it)").isTrue();
        PdfText pdfText = new PdfText(ocr, 300, 20, DefaultSettings.load().documentLimits());
        RuleCriteriaExtractor rules = new RuleCriteriaExtractor();
        FieldScore firstTunedOn = new FieldScore();
        FieldScore batch3 = new FieldScore();
        FieldScore batch4 = new FieldScore();
        FieldScore heldOut = new FieldScore();
        List<Document> documents = DesignedCorpus.documents(List.of());
        for (Document document : documents) {
            List<PageText> pages = pdfText.pages(Files.readAllBytes(document.pdf()), document.name());
            CriteriaReading reading = CriteriaValidator.review(rules.read(GuidelineLine.ofPages(pages)));
            LenderCriteria expected = DesignedCorpus.expected(document);
            FieldScore score = switch (document.batch()) {
                case "batch-4" -> batch4.add(document.name(), expected, reading.criteria());
                case "batch-5" -> heldOut.add(document.name(), expected, reading.criteria());
                default -> firstTunedOn.add(document.name(), expected, reading.criteria());
            };
            if (document.batch().equals("batch-3")) {
                batch3.addAll(score);
            }
            assertThat(reading.evidence().keySet()).as(document.name() + ": every value read has its evidence")
                    .containsAll(CriteriaReading.values(reading.criteria()).keySet().stream()
                            .filter(path -> !path.endsWith(".name")).toList());
        }
        System.out.println("Designed corpus, batches 1-3: " + firstTunedOn + "; batch-3: " + batch3 + "; batch-4 (tuned on): "
                + batch4 + "; batch-5 (held out): " + heldOut);

        assertThat(documents).hasSizeGreaterThanOrEqualTo(51);
        assertThat(firstTunedOn.precision()).as("precision over batches 1-3").isGreaterThanOrEqualTo(0.96);
        assertThat(firstTunedOn.f1()).as("F1 over batches 1-3").isGreaterThanOrEqualTo(0.86);
        assertThat(batch3.precision()).as("precision on batch 3").isGreaterThanOrEqualTo(0.96);
        assertThat(batch3.f1()).as("F1 on batch 3").isGreaterThanOrEqualTo(0.79);
        assertThat(batch4.precision()).as("precision on batch 4 (tuned on)").isGreaterThanOrEqualTo(0.95);
        assertThat(batch4.f1()).as("F1 on batch 4 (tuned on)").isGreaterThanOrEqualTo(0.80);
        assertThat(heldOut.precision()).as("precision on held-out batch 5").isGreaterThanOrEqualTo(0.94);
        assertThat(heldOut.f1()).as("F1 on held-out batch 5").isGreaterThanOrEqualTo(0.78);
    }
}
