package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.extraction.DesignedCorpus.Document;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The designed corpus is what extraction is measured against, so its own files must be right: every PDF has
 * its source and a valid, already normalised expected reading, and the scanned ones really are image-only.
 */
class DesignedCorpusTest {

    @Test
    void everyBatchHoldsAtLeastNineDocumentsWithTheirSources() throws Exception {
        Map<String, Long> perBatch = DesignedCorpus.documents(List.of()).stream()
                .collect(Collectors.groupingBy(Document::batch, Collectors.counting()));
        assertThat(perBatch).isNotEmpty();
        assertThat(perBatch.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(9));
        for (Document document : DesignedCorpus.documents(List.of())) {
            assertThat(document.html()).as(document.name() + " source").isRegularFile();
            assertThat(document.expectedJson()).as(document.name() + " expected reading").isRegularFile();
        }
    }

    @Test
    void everyExpectedReadingIsValidNormalisedCriteriaWithWellFormedConditions() throws Exception {
        for (Document document : DesignedCorpus.documents(List.of())) {
            LenderCriteria expected = DesignedCorpus.expected(document);
            assertThat(CriteriaValidator.validate(expected)).as(document.name()).isEmpty();
            assertThat(CriteriaValidator.normalise(expected)).as(document.name() + " is already normalised")
                    .isEqualTo(expected);
            assertThat(expected.programs()).as(document.name() + " program names")
                    .extracting(Program::name).doesNotContainNull();
            List<List<String>> conditions = DesignedCorpus.conditions(document);
            assertThat(conditions).as(document.name() + " conditions per program").hasSameSizeAs(expected.programs());
        }
    }

    @Test
    void scannedDocumentsHaveNoTextLayerAndTheOthersDo() throws Exception {
        List<Document> documents = DesignedCorpus.documents(List.of());
        assertThat(documents.stream().filter(Document::scanned).count()).isGreaterThanOrEqualTo(1);
        for (Document document : documents) {
            try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(document.pdf()))) {
                assertThat(pdf.getNumberOfPages()).as(document.name() + " pages").isBetween(1, 4);
                String text = new PDFTextStripper().getText(pdf).strip();
                if (document.scanned()) {
                    assertThat(text).as(document.name() + " text layer").isEmpty();
                } else {
                    assertThat(text).as(document.name() + " text layer").hasSizeGreaterThan(300);
                }
            }
        }
    }
}
