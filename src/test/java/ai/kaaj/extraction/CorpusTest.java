package ai.kaaj.extraction;

import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guideline corpus (src/test/resources/extraction/corpus/NN-name.txt, with what a careful reader
 * records in NN-name.expected.json): each document is rendered to a real PDF, read back with PDFBox as
 * production reads uploads, extracted by {@link RuleCriteriaExtractor} and scored field by field.
 */
class CorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/extraction/corpus");
    /** The PDF text of each document, kept for reading when a field is missed. */
    static final Path TEXT_OUT = Path.of("target/corpus-text");

    @Test
    void ruleExtractorPrecisionAndRecallOnTheCorpus() throws Exception {
        List<Path> documents = documents();
        assertThat(documents).hasSizeGreaterThanOrEqualTo(12);
        Files.createDirectories(TEXT_OUT);
        RuleCriteriaExtractor extractor = new RuleCriteriaExtractor();
        FieldScore total = new FieldScore();
        List<String> rows = new ArrayList<>();
        for (Path document : documents) {
            String name = document.getFileName().toString().replaceFirst("\\.txt$", "");
            LenderCriteria expected = Json.MAPPER.readValue(
                    Files.readString(CORPUS.resolve(name + ".expected.json"), StandardCharsets.UTF_8),
                    LenderCriteria.class);
            String text = GuidelinePdfs.text(GuidelinePdfs.textPdf(Files.readString(document, StandardCharsets.UTF_8)));
            Files.writeString(TEXT_OUT.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
            LenderCriteria extracted = CriteriaValidator.normalise(extractor.extract(text));
            Files.writeString(TEXT_OUT.resolve(name + ".extracted.json"), Json.write(extracted), StandardCharsets.UTF_8);
            rows.add(String.format(Locale.ROOT, "%-36s %s", name, total.add(name, expected, extracted)));
        }
        StringBuilder report = new StringBuilder("Rule extractor on the guideline corpus (" + documents.size()
                + " text PDFs)\n");
        rows.forEach(row -> report.append(row).append('\n'));
        report.append(String.format(Locale.ROOT, "%-36s %s%n", "TOTAL", total));
        total.mistakes().forEach(m -> report.append("  ").append(m).append('\n'));
        System.out.print(report);

        assertThat(total.precision()).as("overall precision").isGreaterThanOrEqualTo(0.99);
        assertThat(total.recall()).as("overall recall").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void extractionIsDeterministicOnALargeDocument() throws Exception {
        StringBuilder text = new StringBuilder();
        for (Path document : documents()) {
            text.append(Files.readString(document, StandardCharsets.UTF_8)).append('\n');
        }
        // Pathological lines too: long runs of numbers and of words with no punctuation.
        text.append("1 2 3 4 5 6 7 8 9 10 ".repeat(300)).append('\n');
        text.append("Minimum FICO ").append("650 ".repeat(500)).append('\n');
        text.append("the business is not in any state ".repeat(300)).append('\n');
        String big = text.toString().repeat(5);
        RuleCriteriaExtractor extractor = new RuleCriteriaExtractor();
        // Its speed is measured by bin/bench extractor and bin/bench layout, not asserted here.
        LenderCriteria first = extractor.extract(big);
        assertThat(extractor.extract(big)).isEqualTo(first);
    }

    @Test
    void everyExpectedFileIsValidCriteria() throws Exception {
        for (Path document : documents()) {
            String name = document.getFileName().toString().replaceFirst("\\.txt$", "");
            LenderCriteria expected = Json.MAPPER.readValue(
                    Files.readString(CORPUS.resolve(name + ".expected.json"), StandardCharsets.UTF_8),
                    LenderCriteria.class);
            assertThat(CriteriaValidator.validate(expected)).as(name).isEmpty();
            assertThat(CriteriaValidator.normalise(expected)).as(name + " is already normalised").isEqualTo(expected);
        }
    }

    static List<Path> documents() throws Exception {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
    }
}
