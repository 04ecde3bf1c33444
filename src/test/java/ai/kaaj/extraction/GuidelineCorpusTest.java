package ai.kaaj.extraction;

import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guideline corpus (src/test/resources/extraction/corpus: NN-name.txt with what a careful reader
 * recorded in NN-name.expected.json), each rendered to a real PDF and read back through PDFBox, then
 * extracted by the rule extractor. Prints field-level precision and recall per document and overall.
 */
class GuidelineCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/extraction/corpus");

    @Test
    void ruleExtractionPrecisionAndRecallOnTheCorpus() throws Exception {
        List<Path> documents;
        try (Stream<Path> files = Files.list(CORPUS)) {
            documents = files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(documents).hasSizeGreaterThanOrEqualTo(12);
        FieldScore total = new FieldScore();
        RuleCriteriaExtractor extractor = new RuleCriteriaExtractor();
        List<String> report = new ArrayList<>();
        for (Path document : documents) {
            String name = document.getFileName().toString().replace(".txt", "");
            LenderCriteria expected = Json.MAPPER.readValue(CORPUS.resolve(name + ".expected.json").toFile(),
                    LenderCriteria.class);
            String text = pdfText(GuidelinePdfs.textPdf(Files.readString(document, StandardCharsets.UTF_8)));
            LenderCriteria actual = CriteriaValidator.normalise(extractor.extract(text));
            report.add(String.format("%-32s %s", name, total.add(name, expected, actual)));
        }
        System.out.println("Rule extractor on the guideline corpus (" + documents.size() + " PDFs):");
        report.forEach(System.out::println);
        System.out.println(String.format("%-32s %s", "TOTAL", total));
        total.mistakes().forEach(mistake -> System.out.println("  " + mistake));

        assertThat(total.precision()).isGreaterThanOrEqualTo(0.95);
        assertThat(total.recall()).isGreaterThanOrEqualTo(0.90);
    }

    static String pdfText(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            StringBuilder text = new StringBuilder();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                text.append(page > 1 ? "\f" : "").append(stripper.getText(document));
            }
            return text.toString();
        }
    }
}
