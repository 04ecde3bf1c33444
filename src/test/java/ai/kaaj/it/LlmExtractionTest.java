package ai.kaaj.it;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.extraction.CriteriaValidator;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.support.FakeOpenAi;
import ai.kaaj.support.FakeOpenAi.Reply;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Criteria and application extraction through the model: the real Camel route, camel-langchain4j-chat
 * and langchain4j's OpenAI client against an OpenAI chat-completions server on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LlmExtractionTest {

    private static final String GUIDELINES = LenderProcessingEndToEndTest.GUIDELINES;
    private static final AtomicInteger LENDERS = new AtomicInteger();

    private FakeOpenAi openAi;
    private TestApp app;
    private byte[] pdf;
    /** What the rule extractor reads from the guideline PDF: the model's answers are built from it. */
    private LenderCriteria byRules;

    @BeforeAll
    void start() throws Exception {
        openAi = new FakeOpenAi();
        app = TestApp.start(Map.of(
                "openai.api.key", FakeOpenAi.KEY,
                "openai.base.url", openAi.baseUrl(),
                "openai.model", "test-model",
                "kaaj.llm.timeout.seconds", "2",
                "kaaj.llm.max.retries", "3",
                "kaaj.llm.max.retry.wait.seconds", "5"));
        pdf = GuidelinePdfs.textPdf(GUIDELINES);
        byRules = CriteriaValidator.normalise(new RuleCriteriaExtractor().extract(GuidelinePdfs.text(pdf)));
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
        openAi.close();
    }

    @BeforeEach
    void resetServer() {
        openAi.reset();
        openAi.answerWith(request -> Reply.error(500, "no answer scripted", Map.of()));
    }

    private JsonNode processLender() throws Exception {
        Response response = app.upload("/api/lenders/upload", "guidelines.pdf", pdf,
                Map.of("name", "LLM Lender " + LENDERS.incrementAndGet()));
        assertThat(response.status()).as("upload %s", response.json()).isEqualTo(202);
        return app.awaitStatus("/api/lenders/" + response.json().path("lender_id").asLong(), "active", "failed");
    }

    private static JsonNode stepOutput(JsonNode lender, String step) {
        for (JsonNode view : lender.path("run").path("steps")) {
            if (view.path("step").asText().equals(step)) {
                return view.path("output");
            }
        }
        throw new AssertionError("no step " + step + " in " + lender);
    }

    /** The rules' criteria with the first program's min_fico changed, so the model's answer can be told apart. */
    private String criteriaWithFico(int fico) {
        Program p = byRules.programs().get(0);
        Program changed = new Program(p.name(), fico, p.minTimeInBusinessMonths(), p.minAnnualRevenue(), p.minAmount(),
                p.maxAmount(), p.maxTermMonths(), p.minPaynet(), p.maxEquipmentAgeYears(), p.allowedEquipmentTypes(),
                p.excludedEquipmentTypes(), p.startupsAllowed(), p.bankruptcyLookbackYears(), p.minDownPaymentPct(),
                p.conditions());
        return quoted(new LenderCriteria(java.util.List.of(changed), byRules.excludedIndustries(),
                byRules.excludedStates(), byRules.allowedStates()));
    }

    private static String onlyFico(int fico) {
        return quoted(new LenderCriteria(java.util.List.of(new Program(null, fico, null, null, null, null, null,
                null, null, null, null, null, null, null, null)), null, null, null));
    }

    /** The guideline's line each field is read from, as the model quotes it. */
    private static final Map<String, String> LINES = Map.of(
            "min_fico", "Minimum FICO: 660",
            "min_time_in_business_months", "Time in business: 3 years",
            "min_amount", "Transaction size: $10,000 - $250,000",
            "max_amount", "Transaction size: $10,000 - $250,000",
            "max_term_months", "Maximum term: 60 months",
            "excluded_industries", "Restricted industries: cannabis, gambling, adult entertainment",
            "excluded_states", "Not available in: California, Nevada");

    /** The model's answer: the criteria and, for each value, the guideline line it comes from. */
    private static String quoted(LenderCriteria criteria) {
        com.fasterxml.jackson.databind.node.ObjectNode answer = Json.MAPPER.valueToTree(criteria);
        var evidence = answer.putArray("evidence");
        for (String path : CriteriaReading.values(criteria).keySet()) {
            String field = path.replaceFirst("^programs\\[\\d+]\\.", "").replaceFirst("\\[\\d+]$", "");
            if (LINES.containsKey(field)) {
                evidence.addObject().put("field", path).put("quote", LINES.get(field));
            }
        }
        return answer.toString();
    }

    @Test
    void aGoodAnswerBecomesTheLendersCriteriaAndTheRequestCarriesTheSchema() throws Exception {
        openAi.script(Reply.answer(criteriaWithFico(700), 1200, 150));

        JsonNode lender = processLender();

        assertThat(lender.path("status").asText()).as("lender %s", lender).isEqualTo("active");
        assertThat(lender.path("criteria_source").asText()).isEqualTo("llm");
        assertThat(lender.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(700);
        JsonNode request = openAi.requests().get(0);
        assertThat(request.path("model").asText()).isEqualTo("test-model");
        assertThat(request.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(FakeOpenAi.lastUserMessage(request)).contains("Minimum FICO: 660", "[page 1]");
        JsonNode format = request.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("lender_criteria");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema").path("schema").path("properties").path("programs")
                .path("items").path("properties").has("min_fico")).isTrue();
        assertThat(format.path("json_schema").path("schema").path("properties").path("programs")
                .path("items").path("properties").has("conditions")).isTrue();
        assertThat(format.path("json_schema").path("schema").path("properties").has("evidence")).isTrue();
        JsonNode fico = lender.path("evidence").path("programs[0].min_fico");
        assertThat(fico.path("page").asInt()).as("the model's quote found on its page: %s", lender).isEqualTo(1);
        assertThat(fico.path("text").asText()).isEqualTo("Minimum FICO: 660");
        assertThat(lender.path("review_required").asBoolean()).isFalse();

        JsonNode usage = stepOutput(lender, "extract-criteria").path("llm");
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(1200);
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(150);
        assertThat(usage.path("requests").asInt()).isEqualTo(1);
        String metrics = metrics();
        assertThat(metrics).containsPattern("kaaj_llm_tokens_total\\{[^}]*kind=\"prompt\"[^}]*purpose=\"criteria\"[^}]*} [1-9]");
        assertThat(metrics).contains("kaaj_criteria_extracted_total{source=\"llm\"");
    }

    @Test
    void fieldsTheModelLeavesNullAreFilledByTheRules() throws Exception {
        openAi.script(Reply.answer(onlyFico(700), 900, 40));

        JsonNode lender = processLender();

        assertThat(lender.path("criteria_source").asText()).isEqualTo("llm+rules");
        JsonNode program = lender.path("criteria").path("programs").get(0);
        assertThat(program.path("min_fico").asInt()).as("the model's value wins").isEqualTo(700);
        assertThat(program.path("min_time_in_business_months").asInt()).isEqualTo(36);
        assertThat(program.path("max_amount").asLong()).isEqualTo(250_000);
        assertThat(lender.path("criteria").path("excluded_states").toString()).contains("CA", "NV");
    }

    @Test
    void theModelsWordingIsNormalisedLikeTheRulesOwn() throws Exception {
        openAi.script(Reply.answer("""
                {"programs": [{"name": "Standard", "min_fico": 660, "min_time_in_business_months": 36,
                  "min_annual_revenue": null, "min_amount": 10000, "max_amount": 250000, "max_term_months": 60,
                  "min_paynet": null, "max_equipment_age_years": null, "allowed_equipment_types": null,
                  "excluded_equipment_types": null, "startups_allowed": null, "bankruptcy_lookback_years": null,
                  "min_down_payment_pct": null}],
                 "excluded_industries": ["Cannabis", " Gambling ", "Adult Entertainment"],
                 "excluded_states": ["California", "nevada"], "allowed_states": null}""", 900, 120));

        JsonNode lender = processLender();

        assertThat(lender.path("status").asText()).as("%s", lender).isEqualTo("active");
        assertThat(lender.path("criteria").path("excluded_states").toString()).isEqualTo("[\"CA\",\"NV\"]");
        assertThat(lender.path("criteria").path("excluded_industries").toString())
                .contains("\"cannabis\"", "\"gambling\"", "\"adult entertainment\"");
        assertThat(lender.path("criteria").path("programs").get(0).path("name").asText()).isEqualTo("Standard");
    }

    @Test
    void aMalformedAnswerIsAskedForAgainWithTheProblem() throws Exception {
        openAi.script(Reply.answer("{\"programs\": [{\"min_fico\": 700,", 800, 20),
                Reply.answer(criteriaWithFico(700), 900, 150));

        JsonNode lender = processLender();

        assertThat(lender.path("criteria_source").asText()).isEqualTo("llm");
        assertThat(openAi.requests()).hasSize(2);
        String correction = FakeOpenAi.lastUserMessage(openAi.requests().get(1));
        assertThat(correction).contains("not valid", "not JSON");
        assertThat(openAi.requests().get(1).path("messages").toString()).contains("\"assistant\"");
        assertThat(stepOutput(lender, "extract-criteria").path("llm").path("prompt_tokens").asLong()).isEqualTo(1700);
    }

    @Test
    void anAnswerBreakingTheSchemaTwiceFallsBackToTheRules() throws Exception {
        openAi.script(Reply.answer(onlyFico(9000), 800, 20), Reply.answer(onlyFico(9000), 900, 20));

        JsonNode lender = processLender();

        assertThat(lender.path("status").asText()).isEqualTo("active");
        assertThat(lender.path("criteria_source").asText()).isEqualTo("rules");
        assertThat(lender.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(660);
        assertThat(FakeOpenAi.lastUserMessage(openAi.requests().get(1))).contains("min_fico");
        assertThat(stepOutput(lender, "extract-criteria").path("llm").path("fallback").asText())
                .contains("did not fit the schema twice", "min_fico");
    }

    @Test
    void aRateLimitIsWaitedOutAsRetryAfterAsks() throws Exception {
        openAi.script(Reply.error(429, "Rate limit reached", Map.of("Retry-After", "1")),
                Reply.answer(criteriaWithFico(700), 1000, 100));

        JsonNode lender = processLender();

        assertThat(lender.path("criteria_source").asText()).isEqualTo("llm");
        assertThat(openAi.requestTimes()).hasSize(2);
        long waitedMillis = (openAi.requestTimes().get(1) - openAi.requestTimes().get(0)) / 1_000_000;
        assertThat(waitedMillis).as("waited between the 429 and the retry").isGreaterThanOrEqualTo(1000);
    }

    @Test
    void aRateLimitLongerThanTheServiceWaitsEndsInTheRulesAtOnce() throws Exception {
        openAi.script(Reply.error(429, "Rate limit reached", Map.of("Retry-After", "60")),
                Reply.answer(criteriaWithFico(700), 1000, 100));

        JsonNode lender = processLender();

        assertThat(lender.path("criteria_source").asText()).isEqualTo("rules");
        assertThat(openAi.requests()).as("a wait of 60 s is not waited out: no retry").hasSize(1);
        assertThat(stepOutput(lender, "extract-criteria").path("llm").path("fallback").asText())
                .contains("asked to wait 60 s (Retry-After), longer than the 5 s this service waits");
    }

    @Test
    void aStormOfServerErrorsEndsInTheRules() throws Exception {
        JsonNode lender = processLender();

        assertThat(lender.path("status").asText()).isEqualTo("active");
        assertThat(lender.path("criteria_source").asText()).isEqualTo("rules");
        assertThat(openAi.requests()).as("the first try and 3 retries").hasSize(4);
        assertThat(stepOutput(lender, "extract-criteria").path("llm").path("fallback").asText())
                .contains("HTTP 500", "after 3 retries");
    }

    @Test
    void aSlowAnswerHitsTheRequestTimeoutAndTheRulesAnswer() throws Exception {
        openAi.script(Reply.answer(criteriaWithFico(700), 1000, 100).after(Duration.ofSeconds(5)));

        JsonNode lender = processLender();

        assertThat(lender.path("criteria_source").asText()).isEqualTo("rules");
        assertThat(openAi.requests()).as("a timeout is not retried").hasSize(1);
        assertThat(stepOutput(lender, "extract-criteria").path("llm").path("fallback").asText())
                .contains("did not answer within 2 s");
    }

    @Test
    void theApiKeyNeverShowsEvenWhenTheServerEchoesIt() throws Exception {
        openAi.script(Reply.error(400, "invalid request made with key " + FakeOpenAi.KEY, Map.of()));

        JsonNode lender = processLender();

        assertThat(lender.path("criteria_source").asText()).isEqualTo("rules");
        String fallback = stepOutput(lender, "extract-criteria").path("llm").path("fallback").asText();
        assertThat(fallback).contains("HTTP 400", "[OPENAI_API_KEY]");
        assertThat(lender.toString()).doesNotContain(FakeOpenAi.KEY);
        assertThat(app.get("/api/runs/" + lender.path("run").path("run_id").asText()).json().toString())
                .doesNotContain(FakeOpenAi.KEY);
        JsonNode health = app.get("/api/health").json();
        assertThat(health.path("extraction").path("extractor").asText()).isEqualTo("llm");
        assertThat(health.path("extraction").path("model").asText()).isEqualTo("test-model");
        assertThat(health.toString()).doesNotContain(FakeOpenAi.KEY);
        assertThat(metrics()).doesNotContain(FakeOpenAi.KEY);
    }

    @Test
    void aPdfApplicationIsReadByTheModelWithTheApplicationSchema() throws Exception {
        openAi.answerWith(request -> {
            String schema = request.path("response_format").path("json_schema").path("name").asText();
            if (!schema.equals("loan_application")) {
                return Reply.error(400, "expected the application schema, got " + schema, Map.of());
            }
            // the model misses the PayNet score; the rules find it on the form
            return Reply.answer("""
                    {"business_name": "Rivera Excavation LLC", "state": "TX", "industry": "Excavation contractor",
                     "naics": "238910", "time_in_business_months": 48, "business_start_date": null,
                     "annual_revenue": 1800000, "amount_requested": 125000, "term_months": 60,
                     "equipment_type": "construction", "equipment_year": 2021, "equipment_condition": "used",
                     "fico": 702, "paynet": null, "bankruptcy_discharged_years_ago": null, "down_payment_pct": 10}""",
                    700, 120);
        });
        byte[] form = GuidelinePdfs.textPdf(ApplicationForms.RIVERA_FORM);

        Response accepted = app.upload("/api/applications/upload", "rivera.pdf", form, Map.of());
        assertThat(accepted.status()).as("upload %s", accepted.json()).isEqualTo(202);
        JsonNode application = app.awaitStatus("/api/applications/" + accepted.json().path("application_id").asLong(),
                "matched", "failed");

        assertThat(application.path("status").asText()).as("application %s", application).isEqualTo("matched");
        JsonNode fields = application.path("application");
        assertThat(fields.path("amount_requested").asLong()).as("the model's value").isEqualTo(125_000);
        assertThat(fields.path("paynet").asInt()).as("filled by the rules").isEqualTo(680);
        JsonNode prepare = stepOutput(application, "prepare-matching");
        assertThat(prepare.path("source").asText()).isEqualTo("llm+rules");
        assertThat(prepare.path("llm").path("prompt_tokens").asLong()).isEqualTo(700);
    }

    private String metrics() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(app.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
