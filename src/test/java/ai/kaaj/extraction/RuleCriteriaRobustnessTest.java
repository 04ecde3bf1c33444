package ai.kaaj.extraction;

import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PdfText;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.extraction.DesignedCorpus.Document;
import ai.kaaj.support.DefaultSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What a document says never fails its lender: the rule extractor and the review take any arrangement of
 * guideline lines without an exception. The lines are the designed corpus's (batches 1-4, text layer),
 * cut, shuffled and marked up at random (reproducibly: the seed that breaks is reported with its lines).
 */
class RuleCriteriaRobustnessTest {

    private static final String[] MARKS = {"†", "*", "¹", "•", "-", ":", "|", "✓", "✗", "(", ")", "$", "%", "N/A"};

    @Test
    void anyArrangementOfGuidelineLinesIsReadWithoutFailing() throws Exception {
        PdfText pdfText = new PdfText(new Ocr(null, "eng"), 300, 20, DefaultSettings.load().documentLimits());
        List<List<GuidelineLine>> documents = new ArrayList<>();
        for (Document document : DesignedCorpus.documents(List.of("batch-1", "batch-2", "batch-3", "batch-4"))) {
            if (!document.scanned()) {
                documents.add(GuidelineLine.ofPages(pdfText.pages(Files.readAllBytes(document.pdf()), document.name())));
            }
        }
        assertThat(documents).hasSizeGreaterThan(20);
        RuleCriteriaExtractor rules = new RuleCriteriaExtractor();
        for (int seed = 0; seed < 250; seed++) {
            List<GuidelineLine> lines = arrangement(new Random(seed), documents);
            try {
                CriteriaReading reading = CriteriaValidator.review(rules.read(lines));
                assertThat(reading.criteria()).isNotNull();
            } catch (RuntimeException e) {
                fail("seed " + seed + " fails the reading with " + e + " on:\n" + lines.stream()
                        .map(line -> (line.heading() ? "# " : "") + line.text()).collect(Collectors.joining("\n")), e);
            }
        }
    }

    /** Slices of one to three documents in a random order, some lines cut short, marked, turned into headings or joined. */
    private static List<GuidelineLine> arrangement(Random random, List<List<GuidelineLine>> documents) {
        List<List<GuidelineLine>> slices = new ArrayList<>();
        for (int d = 0, n = 1 + random.nextInt(3); d < n; d++) {
            List<GuidelineLine> document = documents.get(random.nextInt(documents.size()));
            int from = random.nextInt(document.size());
            slices.add(document.subList(from, Math.min(document.size(), from + 1 + random.nextInt(40))));
        }
        Collections.shuffle(slices, random);
        List<GuidelineLine> lines = new ArrayList<>();
        for (List<GuidelineLine> slice : slices) {
            for (GuidelineLine line : slice) {
                String text = line.text();
                switch (random.nextInt(8)) {
                    case 0 -> text = text.substring(0, random.nextInt(text.length() + 1));
                    case 1 -> text = text + MARKS[random.nextInt(MARKS.length)];
                    case 2 -> text = MARKS[random.nextInt(MARKS.length)] + " " + text;
                    case 3 -> text = lines.isEmpty() ? text : lines.get(lines.size() - 1).text() + " | " + text;
                    default -> { }
                }
                boolean heading = random.nextInt(6) == 0 ? !line.heading() : line.heading();
                lines.add(new GuidelineLine(line.page(), text, heading, line.box()));
            }
        }
        return lines;
    }
}
