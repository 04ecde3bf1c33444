package ai.kaaj.extraction;

import ai.kaaj.config.LlmSettings;
import ai.kaaj.documents.PageText;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.extraction.llm.CriteriaTarget;
import ai.kaaj.extraction.llm.LlmExtractor;
import ai.kaaj.extraction.llm.OpenAiModels;
import ai.kaaj.extraction.llm.TokenTally;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.support.FakeOpenAi;
import ai.kaaj.support.FakeOpenAi.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The merge path on the guideline corpus: langchain4j's OpenAI client against a loopback server whose
 * "model" returns each document's expected criteria with gaps (every third field it would set left null,
 * and the lender-wide lists of every other document), in parts of at most 600 characters of which only
 * the first carries the answer. This measures chunk merging, validation and the rules' filling, not a model.
 */
class LlmMergeCorpusTest {

    @Test
    void precisionAndRecallOfRulesAloneTheGappyModelAloneAndTheMergePath() throws Exception {
        try (FakeOpenAi server = new FakeOpenAi()) {
            LlmSettings settings = new LlmSettings(FakeOpenAi.KEY, server.baseUrl(), "test-model", Duration.ofSeconds(10),
                    0, Duration.ZERO, 600);
            TokenTally tally = new TokenTally();
            ChatModel model = OpenAiModels.forPurpose(settings, CriteriaTarget.PURPOSE, "lender_criteria", tally,
                    Clock.systemUTC());
            LlmExtractor extractor = new LlmExtractor((purpose, messages) -> model.chat(messages).aiMessage().text(),
                    tally, "test-model", settings.partChars(), settings.apiKey(),
                    new ProductMetrics(new SimpleMeterRegistry()));
            RuleCriteriaExtractor rules = new RuleCriteriaExtractor();
            FieldScore rulesScore = new FieldScore();
            FieldScore modelScore = new FieldScore();
            FieldScore mergedScore = new FieldScore();
            int documentIndex = 0;
            int multiPart = 0;
            for (Path document : CorpusTest.documents()) {
                String name = document.getFileName().toString().replaceFirst("\\.txt$", "");
                LenderCriteria expected = Json.MAPPER.readValue(Files.readString(
                        CorpusTest.CORPUS.resolve(name + ".expected.json"), StandardCharsets.UTF_8), LenderCriteria.class);
                String text = GuidelinePdfs.text(GuidelinePdfs.textPdf(Files.readString(document, StandardCharsets.UTF_8)));
                String modelAnswer = withGaps(expected, documentIndex++, firstLine(text));
                server.reset();
                server.answerWith(request -> Reply.answer(FakeOpenAi.lastUserMessage(request).startsWith("Part 1 of")
                        || FakeOpenAi.lastUserMessage(request).startsWith("The document")
                        ? modelAnswer : "{\"programs\": [], \"excluded_industries\": null, \"excluded_states\": null, "
                        + "\"allowed_states\": null}", 100, 50));
                List<PageText> pages = new ArrayList<>();
                String[] pageTexts = text.split("\f");
                for (int i = 0; i < pageTexts.length; i++) {
                    pages.add(new PageText(i + 1, "text", pageTexts[i]));
                }
                CriteriaReading byRules = rules.read(text);
                LlmExtractor.Extracted<CriteriaReading> merged = extractor.extract(new CriteriaTarget(), pages, byRules,
                        null);

                assertThat(merged.report()).as(name).doesNotContainKey("fallback");
                assertThat(merged.source()).as(name).isIn("llm", "llm+rules");
                if ((int) merged.report().get("parts") > 1) {
                    multiPart++;
                }
                rulesScore.add(name, expected, CriteriaValidator.normalise(byRules.criteria()));
                modelScore.add(name, expected, CriteriaValidator.normalise(
                        Json.MAPPER.treeToValue(Json.MAPPER.readValue(modelAnswer, ObjectNode.class).without("evidence"),
                                LenderCriteria.class)));
                assertThat(merged.value().warnings()).as(name + ": every value the model gave is quoted")
                        .noneMatch(warning -> warning.contains("the model gave no quote") || warning.contains("is not in the document"));
                mergedScore.add(name, expected, CriteriaValidator.normalise(merged.value().criteria()));
            }
            System.out.printf(Locale.ROOT, "Guideline corpus, %d documents (%d sent in several parts)%n"
                            + "  rules alone         %s%n  model with gaps     %s%n  merge path          %s%n",
                    documentIndex, multiPart, rulesScore, modelScore, mergedScore);
            mergedScore.mistakes().forEach(m -> System.out.println("  " + m));

            assertThat(multiPart).as("documents long enough to be sent in parts").isGreaterThan(5);
            assertThat(modelScore.recall()).as("the model's gaps are real").isLessThan(0.8);
            assertThat(mergedScore.recall()).isGreaterThan(modelScore.recall());
            assertThat(mergedScore.precision()).isGreaterThanOrEqualTo(0.99);
            assertThat(mergedScore.recall()).isGreaterThanOrEqualTo(0.98);
        }
    }

    /** The first line of the text that has words: a quote every part-1 answer can give (this test is not about quotes). */
    private static String firstLine(String text) {
        return text.lines().filter(line -> !line.isBlank()).findFirst().orElseThrow().strip();
    }

    /**
     * The expected criteria with every third set program field nulled, and lender-wide lists dropped on odd documents;
     * every value quoted with the quote given.
     */
    private static String withGaps(LenderCriteria expected, int documentIndex, String quote) throws Exception {
        ObjectNode root = Json.MAPPER.valueToTree(expected);
        int seen = 0;
        for (JsonNode program : root.path("programs")) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = program.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getKey().equals("name") && !field.getValue().isNull() && ++seen % 3 == 0) {
                    field.setValue(NullNode.getInstance());
                }
            }
        }
        if (documentIndex % 2 == 1) {
            root.set("excluded_industries", NullNode.getInstance());
            root.set("excluded_states", NullNode.getInstance());
            root.set("allowed_states", NullNode.getInstance());
        }
        var evidence = root.putArray("evidence");
        CriteriaReading.values(Json.MAPPER.treeToValue(root.deepCopy().without("evidence"), LenderCriteria.class))
                .keySet().forEach(path -> evidence.addObject().put("field", path).put("quote", quote));
        return root.toString();
    }
}
