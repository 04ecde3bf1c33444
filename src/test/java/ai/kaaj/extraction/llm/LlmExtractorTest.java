package ai.kaaj.extraction.llm;

import ai.kaaj.documents.PageText;
import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.metrics.ProductMetrics;
import dev.langchain4j.data.message.ChatMessage;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.UserMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Chunking, merging and checking, with a scripted model in place of the chat route. */
class LlmExtractorTest {

    private static final ProductMetrics METRICS = new ProductMetrics(new SimpleMeterRegistry());
    private static final Program EMPTY = new Program(null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null);

    private static Program program(String name, Integer fico, Long maxAmount) {
        return new Program(name, fico, null, null, null, maxAmount, null, null, null, null, null, null, null, null,
                null);
    }

    /** The model's answer: the criteria and, for every value they set, the same quote. */
    private static String answer(LenderCriteria criteria, String quote) {
        ObjectNode node = Json.MAPPER.valueToTree(criteria);
        ArrayNode evidence = node.putArray("evidence");
        CriteriaReading.values(criteria).keySet()
                .forEach(path -> evidence.addObject().put("field", path).put("quote", quote));
        return node.toString();
    }

    private static CriteriaReading unsourced(LenderCriteria criteria) {
        return new CriteriaReading(criteria, Map.of(), List.of());
    }

    @Test
    void pagesArePackedIntoPartsInOrderAndALongPageIsCutAtLineEnds() {
        List<PageText> pages = List.of(
                new PageText(1, "text", "a".repeat(300)),
                new PageText(2, "text", "b".repeat(300)),
                new PageText(3, "text", ("c".repeat(99) + "\n").repeat(20)));

        List<String> parts = LlmExtractor.parts(pages, 700);

        assertThat(parts).allSatisfy(part -> assertThat(part.length()).isLessThanOrEqualTo(700));
        assertThat(parts.get(0)).contains("[page 1]", "[page 2]").doesNotContain("[page 3]");
        assertThat(String.join("", parts).replaceAll("\\[page \\d(?:, continued)?]\n|\n", ""))
                .isEqualTo("a".repeat(300) + "b".repeat(300) + "c".repeat(99 * 20));
        assertThat(LlmExtractor.parts(List.of(), 700)).hasSize(1);
    }

    @Test
    void aLongDocumentIsReadPartByPartAndTheAnswersMergeTheSameWayEveryTime() {
        List<PageText> pages = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            pages.add(new PageText(i, "text", "page " + i + " " + "x".repeat(900)));
        }
        // Each part's answer: its own program, part of the shared "Standard" one, and its own states, each value
        // quoted from its part (the parts hold pages 1-2, 3-4 and 5-6).
        List<String> answers = List.of(
                answer(new LenderCriteria(List.of(program("Standard", 650, null)), null, List.of("CA"), null), "page 1"),
                answer(new LenderCriteria(List.of(program("standard", 700, 250_000L), program("Startup", 700, null)),
                        List.of("cannabis"), List.of("NV", "CA"), null), "page 4"),
                answer(new LenderCriteria(List.of(), List.of("gambling"), null, null), "page 5"));
        List<List<ChatMessage>> seen = new ArrayList<>();
        LlmChat chat = (purpose, messages) -> {
            seen.add(messages);
            return answers.get(seen.size() - 1);
        };
        LlmExtractor extractor = new LlmExtractor(chat, new TokenTally(), "m", 2000, "key", METRICS);

        LlmExtractor.Extracted<CriteriaReading> result = extractor.extract(new CriteriaTarget(), pages,
                unsourced(new LenderCriteria(List.of(), null, null, null)), null);

        assertThat(seen).hasSize(3);
        assertThat(((UserMessage) seen.get(0).get(1)).singleText()).startsWith("Part 1 of 3").contains("[page 1]");
        LenderCriteria merged = result.value().criteria();
        assertThat(result.value().evidence().get("programs[0].min_fico").page()).isEqualTo(1);
        assertThat(result.value().evidence().get("programs[0].max_amount").page()).as("filled from part 2")
                .isEqualTo(4);
        assertThat(result.value().evidence().get("excluded_industries[1]"))
                .isEqualTo(Evidence.onPage(5, "page 5", null));
        assertThat(result.value().warnings()).isEmpty();
        assertThat(merged.programs()).containsExactly(program("Standard", 650, 250_000L), program("Startup", 700, null));
        assertThat(merged.excludedStates()).containsExactly("CA", "NV");
        assertThat(merged.excludedIndustries()).containsExactly("cannabis", "gambling");
        assertThat(merged.allowedStates()).isNull();
        assertThat(result.source()).isEqualTo("llm");
        assertThat(result.report()).containsEntry("parts", 3).containsEntry("requests", 0);
    }

    @Test
    void theRulesFillOnlyWhatTheModelLeftNull() {
        CriteriaTarget target = new CriteriaTarget();
        CriteriaReading byModel = unsourced(new LenderCriteria(List.of(program("Tier A", 700, null)), null,
                List.of("CA"), null));
        Evidence ruleLine = Evidence.onPage(2, "Tier A: up to $500,000", "line 7");
        CriteriaReading byRules = new CriteriaReading(new LenderCriteria(List.of(program("Tier A", 660, 500_000L),
                program("Tier B", 620, null)), List.of("cannabis"), List.of("NV"), null),
                Map.of("programs[0].max_amount", ruleLine), List.of());

        NullFill.Filled<CriteriaReading> filled = target.fillFrom(byModel, byRules);

        assertThat(filled.changed()).isTrue();
        assertThat(filled.value().criteria().programs()).containsExactly(program("Tier A", 700, 500_000L));
        assertThat(filled.value().evidence()).as("a filled value keeps the rules' evidence")
                .containsEntry("programs[0].max_amount", ruleLine);
        assertThat(filled.value().criteria().excludedStates()).containsExactly("CA");
        assertThat(filled.value().criteria().excludedIndustries()).containsExactly("cannabis");
        assertThat(target.fillFrom(filled.value(), byRules).changed()).isFalse();
        CriteriaReading differentNames = unsourced(new LenderCriteria(List.of(program("Gold", 720, null),
                program("Silver", 680, null)), null, null, null));
        CriteriaReading rulesNames = unsourced(new LenderCriteria(List.of(program("Silver Tier", 680, 75_000L),
                program("Gold Tier", 720, 500_000L)), null, null, null));
        assertThat(target.fillFrom(differentNames, rulesNames).value().criteria().programs())
                .as("paired by name, not position")
                .containsExactly(program("Gold", 720, 500_000L), program("Silver", 680, 75_000L));
        assertThat(target.fillFrom(unsourced(new LenderCriteria(List.of(), null, null, null)), byRules).value()
                .criteria().programs()).as("no programs from the model: the rules' programs").hasSize(2);
        assertThat(target.fillFrom(unsourced(new LenderCriteria(List.of(EMPTY), List.of(), List.of(), List.of())),
                unsourced(new LenderCriteria(List.of(EMPTY), null, null, null))).changed()).isFalse();
    }

    @Test
    void aValueWhoseQuoteIsNotInTheTextIsDroppedWithAWarning() throws Exception {
        String part = "[page 1]\nAcme Finance\n\n[page 2]\nMinimum  FICO 680;\nTerms to 60 months";
        String answer = """
                {"programs": [{"name": "Standard", "min_fico": 680, "max_term_months": 72, "max_amount": 500000,
                               "conditions": ["700 FICO if no PayNet"]}],
                 "excluded_industries": null, "excluded_states": null, "allowed_states": null,
                 "evidence": [{"field": "programs[0].min_fico", "quote": "minimum fico 680"},
                              {"field": "programs[0].max_term_months", "quote": "Terms to 72 months"},
                              {"field": "programs[0].conditions[0]", "quote": "700 FICO if no PayNet"}]}""";

        CriteriaReading read = new CriteriaTarget().read(Json.MAPPER.readTree(answer), part);

        assertThat(read.criteria().programs()).containsExactly(new Program("Standard", 680, null, null, null, null,
                null, null, null, null, null, null, null, null, null));
        assertThat(read.evidence()).as("found whatever the case and spacing, on the page of the header before it")
                .containsExactly(Map.entry("programs[0].min_fico", Evidence.onPage(2, "minimum fico 680", null)));
        assertThat(read.warnings()).containsExactlyInAnyOrder(
                "programs[0].max_term_months 72 dropped: its quote \"Terms to 72 months\" is not in the document",
                "programs[0].max_amount 500000 dropped: the model gave no quote for it",
                "programs[0].conditions[0] \"700 FICO if no PayNet\" dropped: its quote \"700 FICO if no PayNet\" is "
                        + "not in the document");
    }

    @Test
    void aWholeThatBreaksTheChecksIsNotUsedThoughEachPartPassed() {
        List<PageText> pages = List.of(new PageText(1, "text", "a".repeat(1500)), new PageText(2, "text", "b".repeat(1500)));
        // each part alone is fine; together min_amount exceeds max_amount
        List<String> answers = List.of(
                answer(new LenderCriteria(List.of(new Program("Standard", null, null, null, 500_000L, null, null,
                        null, null, null, null, null, null, null, null)), null, null, null), "aaaa"),
                answer(new LenderCriteria(List.of(program("Standard", 650, 100_000L)), null, null, null), "bbbb"));
        int[] calls = {0};
        LlmChat chat = (purpose, messages) -> answers.get(calls[0]++);
        CriteriaReading byRules = unsourced(new LenderCriteria(List.of(program("Standard", 640, 250_000L)), null,
                null, null));

        LlmExtractor.Extracted<CriteriaReading> result = new LlmExtractor(chat, new TokenTally(), "m", 2000, "k", METRICS)
                .extract(new CriteriaTarget(), pages, byRules, null);

        assertThat(result.source()).isEqualTo("rules");
        assertThat(result.value()).isEqualTo(byRules);
        assertThat((String) result.report().get("fallback")).contains("do not fit together", "max_amount");
    }

    @Test
    void answersAreCheckedForJsonSchemaAndFieldRanges() {
        CriteriaTarget target = new CriteriaTarget();
        String text = "[page 1]\nFICO 700 minimum";
        String quote = ", \"evidence\": [{\"field\": \"programs[0].min_fico\", \"quote\": \"FICO 700\"}]";

        assertThat(LlmExtractor.check(target, "Sure! Here it is", text).errors()).singleElement().asString()
                .startsWith("the answer is not JSON");
        assertThat(LlmExtractor.check(target, "[1, 2]", text).errors()).containsExactly("the answer is not a JSON object");
        assertThat(LlmExtractor.check(target, "{\"programs\": [{\"min_fico\": \"high\"}]}", text).errors())
                .singleElement().asString().contains("does not fit the schema", "programs[0].min_fico");
        assertThat(LlmExtractor.check(target, "{\"programs\": [], \"colour\": \"blue\"}", text).errors())
                .singleElement().asString().contains("colour");
        assertThat(LlmExtractor.check(target, "{\"programs\": [{\"min_fico\": 9000}]" + quote + "}", text).errors())
                .singleElement().asString().contains("min_fico");
        assertThat(LlmExtractor.check(target, "```json\n{\"programs\": [{\"min_fico\": 700}]" + quote + "}\n```", text)
                .value().criteria().programs().get(0).minFico()).isEqualTo(700);
    }

    @Test
    void theStepsDeadlineEndsTheExtractionWithTheRulesResultInTimeAndInterruptsTheModel() throws Exception {
        java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
        LlmChat slowChat = (purpose, messages) -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw new IllegalStateException(e);
            }
            return "{\"programs\": [{\"min_fico\": 700}]}";
        };
        List<PageText> pages = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            pages.add(new PageText(i, "text", "x".repeat(1500)));
        }
        CriteriaReading byRules = unsourced(new LenderCriteria(List.of(program(null, 650, null)), null, null, null));

        long started = System.nanoTime();
        LlmExtractor.Extracted<CriteriaReading> result = new LlmExtractor(slowChat, new TokenTally(), "m", 2000, "k", METRICS)
                .extract(new CriteriaTarget(), pages, byRules,
                        Instant.now().plus(LlmExtractor.RULES_MARGIN).plusSeconds(1));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        assertThat(result.source()).isEqualTo("rules");
        assertThat(result.value()).isEqualTo(byRules);
        assertThat((String) result.report().get("fallback")).contains("within the 1 s the step had left")
                .containsPattern("[0-2] of 5 parts read");
        assertThat(interrupted.await(2, java.util.concurrent.TimeUnit.SECONDS)).as("the model call was interrupted")
                .isTrue();
    }

    @Test
    void aServerThatCannotBeReachedIsRetriedThenReported() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OpenAiHttpClient client = new OpenAiHttpClient(Duration.ofSeconds(2), 2, Duration.ofSeconds(5),
                Clock.systemUTC(), "k");
        dev.langchain4j.http.client.HttpRequest request = dev.langchain4j.http.client.HttpRequest.builder()
                .method(dev.langchain4j.http.client.HttpMethod.POST).url("http://127.0.0.1:" + port + "/v1/chat/completions")
                .addHeader("Content-Type", "application/json").body("{}").build();

        long started = System.nanoTime();
        assertThatThrownBy(() -> client.execute(request))
                .isInstanceOf(dev.langchain4j.exception.HttpException.class)
                .hasMessageContaining("cannot reach the model server after 2 retries");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("two backoffs of 250-500 ms and 500-1000 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(750));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);
        OpenAiHttpClient client = new OpenAiHttpClient(Duration.ofSeconds(5), 3, Duration.ofSeconds(30), clock, "k");

        assertThat(client.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(client.retryAfter("Sun, 29 Nov 2026 10:00:12 GMT")).isEqualTo(Duration.ofSeconds(12));
        assertThat(client.retryAfter("soon")).isNull();
        assertThat(client.delay(0, "3")).isEqualTo(Duration.ofSeconds(3));
        for (int attempt = 0; attempt < 4; attempt++) {
            long max = 500L << attempt;
            assertThat(client.delay(attempt, null).toMillis()).isBetween(max / 2, max);
        }
    }
}
