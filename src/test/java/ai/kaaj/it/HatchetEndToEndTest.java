package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.hatchet.HatchetWorker;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.RunStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Both pipelines through the REST API with the Hatchet bridge on (HATCHET_CLIENT_TOKEN set), the real
 * bridge against the in-process engine on loopback, compared with the embedded engine's results for
 * the same uploads; the event start mode; runs kept while Hatchet is down; a bad token at start-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HatchetEndToEndTest {

    private static final String SECOND_GUIDELINES = """
            Summit Equipment Credit - Program Guide

            Tier A: minimum FICO 720, 5 years in business, up to $1,000,000, terms to 84 months.
            Tier B: minimum FICO 650, 2 years in business, up to $150,000, terms to 48 months.
            No cannabis or firearms.
            """;

    private TestHatchet engine;
    private TestHatchet eventEngine;
    private TestApp onHatchet;
    private TestApp onEvents;
    private TestApp embedded;

    @BeforeAll
    void start() throws Exception {
        engine = new TestHatchet();
        eventEngine = new TestHatchet();
        onHatchet = TestApp.start(engine.clientSettings());
        Map<String, String> eventSettings = new HashMap<>(eventEngine.clientSettings());
        eventSettings.put("kaaj.hatchet.start", "event");
        eventSettings.put("hatchet.client.namespace", "Staging");
        onEvents = TestApp.start(eventSettings);
        embedded = TestApp.start();
    }

    @AfterAll
    void stop() throws Exception {
        onHatchet.close();
        onEvents.close();
        embedded.close();
        engine.close();
        eventEngine.close();
    }

    private static JsonNode lender(TestApp app, String name, String guidelines) throws Exception {
        Response accepted = app.upload("/api/lenders/upload", "guidelines.pdf", GuidelinePdfs.textPdf(guidelines),
                Map.of("name", name));
        assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
        // the last step marks the lender a moment before the worker records the step, and so the run, done
        return app.await("/api/lenders/" + accepted.json().path("lender_id").asLong(),
                json -> List.of("active", "failed").contains(json.path("status").asText())
                        && List.of("succeeded", "failed").contains(json.path("run").path("status").asText()),
                Duration.ofSeconds(60));
    }

    private static JsonNode application(TestApp app) throws Exception {
        Response accepted = app.postJson("/api/applications", LoanMatchingEndToEndTest.RIVERA);
        assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
        return app.awaitStatus("/api/applications/" + accepted.json().path("application_id").asLong(),
                "matched", "failed");
    }

    /** lender name -> status, program, score, rank: what an operator compares. */
    private static Map<String, String> verdicts(TestApp app, long applicationId) throws Exception {
        JsonNode matches = app.get("/api/applications/" + applicationId + "/matches").json().path("matches");
        Map<String, String> verdicts = new HashMap<>();
        for (JsonNode match : matches) {
            verdicts.put(match.path("lender_name").asText(), match.path("status").asText() + " "
                    + match.path("program").asText() + " " + match.path("score").asText() + " #"
                    + match.path("rank").asText());
        }
        return verdicts;
    }

    @Test
    void bothPipelinesCompleteThroughHatchetWithTheEmbeddedEnginesResults() throws Exception {
        JsonNode acme = lender(onHatchet, "Acme Equipment Finance", LenderProcessingEndToEndTest.GUIDELINES);
        JsonNode summit = lender(onHatchet, "Summit Equipment Credit", SECOND_GUIDELINES);
        JsonNode application = application(onHatchet);
        JsonNode acmeEmbedded = lender(embedded, "Acme Equipment Finance", LenderProcessingEndToEndTest.GUIDELINES);
        JsonNode summitEmbedded = lender(embedded, "Summit Equipment Credit", SECOND_GUIDELINES);
        JsonNode applicationEmbedded = application(embedded);

        assertThat(acme.path("status").asText()).as("%s", acme).isEqualTo("active");
        assertThat(acme.path("criteria")).isEqualTo(acmeEmbedded.path("criteria"));
        assertThat(summit.path("criteria")).isEqualTo(summitEmbedded.path("criteria"));
        assertThat(application.path("status").asText()).isEqualTo("matched");
        Map<String, String> verdicts = verdicts(onHatchet, application.path("application_id").asLong());
        assertThat(verdicts).hasSize(2).isEqualTo(verdicts(embedded, applicationEmbedded.path("application_id").asLong()));

        // the runs went through the engine, and our API reports them by our id and by Hatchet's
        JsonNode run = acme.path("run");
        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        assertThat(run.path("steps")).extracting(step -> step.path("status").asText()).containsOnly("succeeded");
        String ourId = run.path("run_id").asText();
        Run hatchetRun = engine.runs().stream().filter(r -> r.metadata.contains(ourId)).findFirst().orElseThrow();
        assertThat(hatchetRun.workflow).isEqualTo("lender-processing");
        engine.awaitRun(r -> r == hatchetRun && r.status == RunStatus.COMPLETED, Duration.ofSeconds(10));
        assertThat(hatchetRun.metadata).contains(HatchetWorker.RUN_ID_METADATA);
        assertThat(hatchetRun.tasks.values()).allSatisfy(task -> assertThat(task.completions).isEqualTo(1));
        assertThat(onHatchet.get("/api/runs/" + hatchetRun.id).json().path("run_id").asText()).isEqualTo(ourId);
        engine.awaitRun(r -> r.workflow.equals("loan-matching") && r.status == RunStatus.COMPLETED,
                Duration.ofSeconds(10));
        assertThat(engine.runs()).filteredOn(r -> r.workflow.equals("loan-matching")).hasSize(1);

        assertThat(engine.workflows().keySet()).containsExactlyInAnyOrder("lender-processing", "loan-matching");
        var lenderProcessing = engine.workflows().get("lender-processing");
        assertThat(lenderProcessing.getEventTriggersList()).containsExactly("lender:document:uploaded");
        assertThat(lenderProcessing.getTasksList()).extracting(t -> t.getReadableId() + " " + t.getTimeout() + " "
                        + t.getRetries() + " " + t.getParentsList())
                .containsExactly("fetch-lender 120s 3 []", "extract-text 120s 2 [fetch-lender]",
                        "extract-criteria 120s 2 [extract-text]", "validate-enrich 120s 2 [extract-criteria]",
                        "update-lender 120s 3 [validate-enrich]");
        assertThat(engine.workflows().get("loan-matching").getTasksList()).extracting(t -> t.getReadableId() + " "
                + t.getTimeout()).containsExactly("prepare-matching 60s", "calculate-matches 300s",
                "finalize-matching 30s");
        JsonNode health = onHatchet.get("/api/health").json();
        assertThat(health.path("engine").path("type").asText()).isEqualTo("hatchet");
        assertThat(health.path("engine").path("version").asText()).as("asked at start").isEqualTo(TestHatchet.VERSION);
        assertThat(health.toString()).doesNotContain(engine.token());
    }

    @Test
    void inEventModeTheApiPushesTheEventAndTheRegisteredTriggerStartsTheRun() throws Exception {
        JsonNode acme = lender(onEvents, "Acme Equipment Finance", LenderProcessingEndToEndTest.GUIDELINES);

        assertThat(acme.path("status").asText()).as("%s", acme).isEqualTo("active");
        Run run = eventEngine.runs().get(0);
        assertThat(run.eventKey).as("namespaced event key").isEqualTo("staging_lender:document:uploaded");
        assertThat(run.workflow).isEqualTo("staging_lender-processing");
        eventEngine.awaitRun(r -> r == run && r.status == RunStatus.COMPLETED, Duration.ofSeconds(10));
        String ourId = acme.path("run").path("run_id").asText();
        assertThat(onEvents.get("/api/runs/" + ourId).json().path("status").asText()).isEqualTo("succeeded");
        assertThat(onEvents.get("/api/runs/" + run.id).json().path("run_id").asText())
                .as("Hatchet's run id, learnt from the first step").isEqualTo(ourId);
        assertThat(eventEngine.workers()).singleElement().satisfies(worker ->
                assertThat(worker.registration.getWorkerName()).isEqualTo("staging_kaaj-worker-1"));
    }

    @Test
    void runsStartedWhileHatchetIsDownWaitInOurDatabaseAndGoWhenItIsBack() throws Exception {
        engine.stopServing();
        Response accepted;
        try {
            accepted = onHatchet.upload("/api/lenders/upload", "guidelines.pdf",
                    GuidelinePdfs.textPdf(SECOND_GUIDELINES.replace("Summit", "Harbor")), Map.of("name", "Harbor Credit"));
            assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
            String run = "/api/runs/" + accepted.json().path("run_id").asText();
            await("the run waiting while Hatchet is down").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(onHatchet.get(run).json().path("status").asText()).isEqualTo("queued"));
            JsonNode health = onHatchet.get("/api/health").json().path("engine");
            assertThat(health.path("waiting").asText()).contains("runs wait for Hatchet", "unreachable");
        } finally {
            engine.serveAgain();
        }
        JsonNode lender = onHatchet.await("/api/lenders/" + accepted.json().path("lender_id").asLong(),
                json -> json.path("run").path("status").asText().matches("succeeded|failed"), Duration.ofSeconds(60));
        assertThat(lender.path("run").path("status").asText()).isEqualTo("succeeded");
        assertThat(lender.path("status").asText()).isEqualTo("active");
        assertThat(onHatchet.get("/api/health").json().path("engine").has("waiting")).isFalse();
    }

    @Test
    void aBadTokenStopsStartUpWithAClearMessage() {
        assertThatThrownBy(() -> TestApp.start(Map.of("hatchet.client.token", "garbage",
                "hatchet.client.tls.strategy", "none")))
                .hasMessageContaining("HATCHET_CLIENT_TOKEN is not a valid Hatchet token");
        String foreign = TestHatchet.jwt("3f1e8a7c-0000-4000-8000-000000000000", engine.hostPort(),
                System.currentTimeMillis() / 1000 + 600);
        assertThatThrownBy(() -> TestApp.start(Map.of("hatchet.client.token", foreign,
                "hatchet.client.tls.strategy", "none")))
                .hasMessageContaining("rejected HATCHET_CLIENT_TOKEN");
    }
}
