package ai.kaaj.pipeline;

import ai.kaaj.extraction.llm.DocumentModel;
import ai.kaaj.documents.DocumentLimits;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.engine.StepInput;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.engine.Workflows;
import ai.kaaj.extraction.RuleApplicationExtractor;
import ai.kaaj.matching.MatchingEngine;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.store.ApplicationStore;
import ai.kaaj.store.Database;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.MatchStore;
import ai.kaaj.store.MatchStore.MatchRow;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/loan-matching.camel.yaml on its own: its step routes called as the engine calls them, with the
 * beans they need on a real PostgreSQL; the workflow read back from the loaded routes.
 */
@CamelMainTest(properties = {
        "camel.main.routesIncludePattern=file:routes/loan-matching.camel.yaml",
        "camel.threadpool.config[matchPool].poolSize=2",
        "camel.threadpool.config[matchPool].maxPoolSize=2",
        "camel.threadpool.config[matchPool].maxQueueSize=1000",
        "camel.threadpool.config[matchPool].rejectedPolicy=CallerRuns"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoanMatchingRouteTest {

    static final DocumentLimits LIMITS = new DocumentLimits(1000, 50_000, 2_000_000, 3_000_000, 1_000_000, 60);

    private static final String APPLICATION = """
            {"business_name": "Rivera Excavation LLC", "state": "TX", "amount_requested": 120000,
             "time_in_business_months": 48, "fico": 702}""";

    private final Database database = Database.open(TestDatabase.newDatabaseUrl(),
            Files.createTempDirectory("kaaj-route-test"), 0, 4);
    private final Sql sql = new Sql(database.dataSource());
    private final LenderStore lenders = new LenderStore(sql);
    private final ApplicationStore applications = new ApplicationStore(sql);
    private final MatchStore matches = new MatchStore(sql);

    @BindToRegistry("loanMatching")
    private final LoanMatchingSteps steps = new LoanMatchingSteps(applications, matches, new DocumentStore(sql),
            new ReaderProcess(null, "eng", 300, 20, LIMITS, 256), new RuleApplicationExtractor(),
            DocumentModel.NONE, new MatchingEngine(), Clock.systemDefaultZone(), new ProductMetrics(new SimpleMeterRegistry()));

    @BindToRegistry("matchResults")
    private final MatchResultsAggregation aggregation = new MatchResultsAggregation();

    @EndpointInject
    ProducerTemplate producer;

    @org.apache.camel.BeanInject
    CamelContext context;

    LoanMatchingRouteTest() throws Exception {
    }

    @AfterAll
    void close() {
        database.close();
    }

    @Test
    void theWorkflowIsReadFromTheLoadedRoutes() {
        WorkflowDefinition read = Workflows.fromRoutes("loaded", ((ModelCamelContext) context).getRouteDefinitions());
        assertThat(read).isEqualTo(Workflows.LOAN_MATCHING);
        assertThat(read.event()).isEqualTo("loan:application:uploaded");
        assertThat(read.steps()).extracting(s -> s.name() + " " + s.parents() + " " + s.timeout().toSeconds()
                + "s " + s.retries()).containsExactly("prepare-matching [] 60s 3",
                "calculate-matches [prepare-matching] 300s 2", "finalize-matching [calculate-matches] 30s 3");
        assertThat(read.onFailure().timeout().toSeconds()).isEqualTo(30);
        Workflows.checkRoutes(context, List.of(Workflows.LOAN_MATCHING));
    }

    @Test
    void everyLenderIsRankedAndWrittenOnceAndABrokenLenderIsOnlyItsOwnError() {
        long good = lender("Broad Street " + UUID.randomUUID(), "{\"programs\": [{\"name\": \"Standard\", "
                + "\"min_fico\": 650}]}");
        long picky = lender("Picky Bank " + UUID.randomUUID(), "{\"programs\": [{\"name\": \"Prime\", "
                + "\"min_fico\": 740}]}");
        long broken = lender("Broken Bank " + UUID.randomUUID(), "{\"programs\": [{\"name\": \"P\"}]}");
        sql.update("update lenders set criteria = '{\"programs\": \"not a list\"}' where id = ?", broken);
        // more lenders than one slice of the split
        for (int i = 0; i < LoanMatchingSteps.SLICE + 20; i++) {
            lender("Filler " + UUID.randomUUID(), "{\"programs\": [{\"name\": \"F\", \"min_fico\": " + (600 + i)
                    + "}]}");
        }
        long applicationId = sql.inConnection(c -> applications.create(c, APPLICATION, "json", null));
        Map<String, JsonNode> outputs = new LinkedHashMap<>();
        for (String step : List.of("prepare-matching", "calculate-matches", "finalize-matching")) {
            Object output = producer.requestBody("direct:loan-matching." + step, input(applicationId, outputs));
            outputs.put(step, Json.MAPPER.valueToTree(output));
        }

        // the outputs' fields as runs were stored with them, the console shows them and Hatchet carries them
        assertThat(Json.write(outputs.get("prepare-matching"))).isEqualTo("{\"application_id\":" + applicationId + "}");
        assertThat(outputs.get("calculate-matches").fieldNames()).toIterable()
                .containsExactly("application_id", "evaluated", "by_status");
        assertThat(outputs.get("finalize-matching").fieldNames()).toIterable()
                .containsExactly("application_id", "by_status");
        int active = lenders.active().size();
        assertThat(outputs.get("calculate-matches").path("evaluated").asInt()).isEqualTo(active);
        List<MatchRow> rows = matches.results(applicationId, null);
        assertThat(rows).hasSize(active);
        assertThat(rows).extracting(MatchRow::rank).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, active).boxed().toList());
        MatchRow first = rows.get(0);
        assertThat(first.status()).isEqualTo("eligible");
        MatchRow last = rows.get(rows.size() - 1);
        assertThat(last.lenderId()).isEqualTo(broken);
        assertThat(last.status()).isEqualTo("error");
        assertThat(last.error()).contains("evaluation failed");
        assertThat(rows.stream().filter(r -> r.lenderId() == picky).findFirst().orElseThrow().status())
                .isEqualTo("ineligible");
        assertThat(rows.stream().filter(r -> r.lenderId() == good).findFirst().orElseThrow().status())
                .isEqualTo("eligible");
        assertThat(outputs.get("finalize-matching").path("by_status").path("error").asLong()).isEqualTo(1);
        assertThat(applications.find(applicationId).orElseThrow().status()).isEqualTo("matched");

        // matched again (a retry, or the lenders changed): the rows are replaced, never doubled
        sql.update("update lenders set status = 'inactive' where id = ?", picky);
        Object again = producer.requestBody("direct:loan-matching.calculate-matches", input(applicationId, outputs));
        assertThat(Json.MAPPER.valueToTree(again).path("evaluated").asInt()).isEqualTo(active - 1);
        assertThat(matches.results(applicationId, null)).hasSize(active - 1)
                .noneMatch(row -> row.lenderId() == picky);
        sql.update("update lenders set status = 'inactive' where id = ?", broken);
    }

    private long lender(String name, String criteria) {
        return lenders.createWithCriteria(name, Json.read(criteria, LenderCriteria.class)).orElseThrow();
    }

    private static StepInput input(long applicationId, Map<String, JsonNode> parents) {
        return new StepInput(UUID.randomUUID().toString(),
                Json.MAPPER.createObjectNode().put("application_id", applicationId), Map.copyOf(parents), null);
    }
}
