package ai.kaaj.pipeline;

import ai.kaaj.documents.PageText;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.domain.Json;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.engine.Workflows;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.extraction.llm.DocumentModel;
import ai.kaaj.extraction.llm.LlmExtractor;
import ai.kaaj.extraction.llm.LlmExtractor.Extracted;
import ai.kaaj.extraction.llm.LlmTarget;
import ai.kaaj.extraction.llm.TokenTally;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.Database;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.LenderStore.LenderRow;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * routes/lender-processing.camel.yaml on its own: its step routes called in the order the route file gives,
 * each with its parents' outputs, as the engine calls them, with the beans they need on a real PostgreSQL.
 */
@CamelMainTest(properties = "camel.main.routesIncludePattern=file:routes/lender-processing.camel.yaml")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LenderProcessingRouteTest {

    private static final String GUIDELINES = """
            Summit Equipment Finance - Credit Guidelines
            Standard Program
            Minimum FICO: 680
            Minimum time in business: 2 years
            Loan amounts from $10,000 to $250,000
            \fRestricted states: CA, NV
            Excluded industries: cannabis, gaming""";

    private final Database database = Database.open(TestDatabase.newDatabaseUrl(),
            Files.createTempDirectory("kaaj-route-test"), 0, 4);
    private final Sql sql = new Sql(database.dataSource());
    private final LenderStore lenders = new LenderStore(sql);
    private final DocumentStore documents = new DocumentStore(sql);

    private final ProductMetrics metrics = new ProductMetrics(new SimpleMeterRegistry());
    /** The model the steps read with: none, as without OPENAI_API_KEY, unless a test puts one in. */
    private final AtomicReference<DocumentModel> model = new AtomicReference<>(DocumentModel.NONE);

    @BindToRegistry("lenderProcessing")
    private final LenderProcessingSteps steps = new LenderProcessingSteps(lenders, documents,
            new ReaderProcess(null, "eng", 300, 20, LoanMatchingRouteTest.LIMITS, 256),
            LoanMatchingRouteTest.LIMITS, new RuleCriteriaExtractor(), new DocumentModel() {
                @Override
                public <T> Extracted<T> read(LlmTarget<T> target, List<PageText> pages, T byRules, Instant deadline) {
                    return model.get().read(target, pages, byRules, deadline);
                }

                @Override
                public <T> Extracted<T> fallback(LlmTarget<T> target, List<PageText> pages, T byRules,
                                                 Throwable failure) {
                    return model.get().fallback(target, pages, byRules, failure);
                }
            }, metrics);

    @EndpointInject
    ProducerTemplate producer;

    @BeanInject
    CamelContext context;

    LenderProcessingRouteTest() throws Exception {
    }

    @AfterAll
    void close() {
        database.close();
    }

    @Test
    void theWorkflowIsReadFromTheLoadedRoutes() {
        WorkflowDefinition read = Workflows.fromRoutes("loaded", ((ModelCamelContext) context).getRouteDefinitions());
        assertThat(read).isEqualTo(Workflows.LENDER_PROCESSING);
        assertThat(read.event()).isEqualTo("lender:document:uploaded");
        assertThat(read.steps()).extracting(s -> s.name() + " " + s.parents() + " " + s.timeout().toSeconds()
                + "s " + s.retries()).containsExactly("fetch-lender [] 120s 3",
                "extract-text [fetch-lender] 120s 2", "extract-criteria [extract-text] 120s 2",
                "validate-enrich [extract-criteria] 120s 2", "update-lender [validate-enrich] 120s 3");
        Workflows.checkRoutes(context, List.of(Workflows.LENDER_PROCESSING));
    }

    @Test
    void aGuidelineDocumentBecomesTheLendersCriteria() {
        long[] ids = storeGuidelines();
        Map<String, JsonNode> outputs = runWorkflow(ids);

        // the outputs' fields as runs were stored with them, the console shows them and Hatchet carries them
        assertThat(outputs.get("fetch-lender").fieldNames()).toIterable()
                .containsExactly("lender_id", "lender_name", "document_id", "file_name", "content_type");
        assertThat(outputs.get("fetch-lender").path("file_name").asText()).isEqualTo("summit.txt");
        assertThat(outputs.get("extract-text").fieldNames()).toIterable()
                .containsExactly("document_id", "pages", "methods", "chars");
        assertThat(outputs.get("extract-criteria").fieldNames()).toIterable()
                .containsExactly("criteria", "evidence", "warnings", "source");
        assertThat(outputs.get("validate-enrich").fieldNames()).toIterable()
                .containsExactly("criteria", "evidence", "warnings", "source");
        assertThat(outputs.get("validate-enrich").path("evidence").path("programs[0].min_fico").path("text").asText())
                .isEqualTo("Minimum FICO: 680");
        assertThat(outputs.get("update-lender").fieldNames()).toIterable()
                .containsExactly("lender_id", "criteria_version", "review_required");
        assertThat(outputs.get("extract-text").path("pages").asInt()).isEqualTo(2);
        assertThat(outputs.get("extract-criteria").path("source").asText()).isEqualTo("rules");
        assertThat(outputs.get("extract-criteria").has("llm")).as("no model, no model report").isFalse();
        LenderRow lender = lenders.find(ids[0]).orElseThrow();
        assertThat(lender.status()).isEqualTo("active");
        assertThat(lender.criteria()).contains("\"min_fico\": 680").contains("NV").contains("cannabis");
        assertThat(outputs.get("update-lender").path("criteria_version").asInt()).isEqualTo(1);
    }

    @Test
    void whenTheModelFailsTheCircuitBreakerFallsBackToTheRulesReadingAndOpensAfterRepeatedFailures() {
        String key = "sk-route-test-" + UUID.randomUUID();
        AtomicInteger modelCalls = new AtomicInteger();
        model.set(new LlmExtractor((purpose, messages) -> {
            modelCalls.incrementAndGet();
            throw new IllegalStateException("the model server answered 503 to key " + key);
        }, new TokenTally(), "route-test-model", 2000, key, metrics));
        try {
            long[] ids = storeGuidelines();
            Map<String, JsonNode> outputs = runWorkflow(ids);

            JsonNode criteria = outputs.get("extract-criteria");
            assertThat(criteria.fieldNames()).toIterable()
                    .containsExactly("criteria", "evidence", "warnings", "source", "llm");
            assertThat(criteria.path("source").asText()).isEqualTo("rules");
            assertThat(criteria.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(680);
            assertThat(criteria.path("llm").path("model").asText()).isEqualTo("route-test-model");
            assertThat(criteria.path("llm").path("fallback").asText())
                    .contains("503").contains("[OPENAI_API_KEY]").doesNotContain(key);
            LenderRow lender = lenders.find(ids[0]).orElseThrow();
            assertThat(lender.status()).isEqualTo("active");
            assertThat(lender.criteria()).contains("\"min_fico\": 680").contains("cannabis");

            // the breaker opens after 20 documents with half failing: the model is no longer called
            JsonNode input = Json.MAPPER.createObjectNode().put("lender_id", ids[0]).put("document_id", ids[1]);
            Map<String, JsonNode> parents = Map.of("extract-text", outputs.get("extract-text"));
            JsonNode last = null;
            for (int i = 0; i < 25; i++) {
                last = Json.MAPPER.valueToTree(producer.requestBody("direct:lender-processing.extract-criteria",
                        new StepInput(UUID.randomUUID().toString(), input, parents, null)));
            }
            assertThat(modelCalls.get()).isEqualTo(20);
            assertThat(last.path("source").asText()).isEqualTo("rules");
            assertThat(last.path("llm").path("fallback").asText()).contains("circuit breaker is open");
            assertThat(last.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(680);
        } finally {
            model.set(DocumentModel.NONE);
        }
    }

    /** A lender with the guidelines as its document: the lender's and the document's ids. */
    private long[] storeGuidelines() {
        String name = "Summit Equipment Finance " + UUID.randomUUID();
        return sql.inTransaction(c -> {
            long lenderId = lenders.findOrCreate(c, name);
            long documentId = documents.store(c, "lender", lenderId, "summit.txt", "text/plain",
                    GUIDELINES.getBytes(StandardCharsets.UTF_8)).id();
            return new long[] {lenderId, documentId};
        });
    }

    /** A processing run of the lender's document, recorded as its latest, as uploading the document does. */
    private UUID started(long[] ids) {
        UUID run = UUID.randomUUID();
        sql.inTransaction(c -> {
            lenders.startProcessing(c, ids[0], ids[1], run);
            return null;
        });
        return run;
    }

    /** The workflow's step routes called in order, each with its parents' outputs; the steps' outputs. */
    private Map<String, JsonNode> runWorkflow(long[] ids) {
        String runId = started(ids).toString();
        JsonNode input = Json.MAPPER.createObjectNode().put("lender_id", ids[0]).put("document_id", ids[1]);
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        for (var step : Workflows.LENDER_PROCESSING.steps()) {
            Map<String, JsonNode> parents = new LinkedHashMap<>();
            step.parents().forEach(parent -> parents.put(parent, outputs.get(parent)));
            Object output = producer.requestBody("direct:lender-processing." + step.name(),
                    new StepInput(runId, input, parents, null));
            outputs.put(step.name(), Json.MAPPER.valueToTree(output));
        }
        return outputs;
    }

    @Test
    void aParentsOutputThatDoesNotFitItsRecordFailsTheStepForGoodSayingWhere() {
        long lenderId = sql.inTransaction(c -> lenders.findOrCreate(c, "Damaged Run Lender " + UUID.randomUUID()));
        JsonNode input = Json.MAPPER.createObjectNode().put("lender_id", lenderId).put("document_id", 0);
        JsonNode damaged = Json.MAPPER.createObjectNode().put("source", "rules")
                .set("criteria", Json.MAPPER.createObjectNode().put("programs", "not a list"));
        StepInput step = new StepInput(UUID.randomUUID().toString(), input, Map.of("validate-enrich", damaged), null);

        assertThatThrownBy(() -> producer.requestBody("direct:lender-processing.update-lender", step))
                .cause().isInstanceOf(StepFailure.class)
                .hasMessageStartingWith("the output of validate-enrich does not fit CriteriaRead: ")
                .hasMessageContaining("(at criteria.programs)");
        assertThat(lenders.find(lenderId).orElseThrow().criteria()).as("nothing stored").isNull();
    }

    @Test
    void theOnFailureStepMarksTheLenderFailedWithTheError() {
        long[] ids = storeGuidelines();
        long lenderId = ids[0];
        JsonNode input = Json.MAPPER.createObjectNode().put("lender_id", lenderId).put("document_id", ids[1]);
        Object output = producer.requestBody("direct:lender-processing.on-failure",
                new StepInput(started(ids).toString(), input, Map.of(), "extract-text: the document is empty"));
        assertThat(Json.write(output)).isEqualTo("{\"lender_id\":" + lenderId + "}");
        LenderRow lender = lenders.find(lenderId).orElseThrow();
        assertThat(lender.status()).isEqualTo("failed");
        assertThat(lender.error()).contains("the document is empty");
    }
}
