package ai.kaaj.it;

import ai.kaaj.KaajApplication;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.TestHatchet;
import ai.kaaj.support.TestHatchet.Run;
import ai.kaaj.support.TestHatchet.TaskStatus;
import ai.kaaj.support.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker processes on Hatchet, as start_workers.sh runs them: each registers with the engine, and one
 * stopped with SIGTERM in the middle of a step hands it back so the other finishes it at once; one the
 * engine refuses to register ends at once, saying why.
 */
class HatchetWorkerProcessTest {

    @Test
    void aWorkerTheEngineRefusesToRegisterExitsAtOnceSayingWhy() throws Exception {
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-hatchet-refused");
        try (TestHatchet engine = new TestHatchet()) {
            engine.limitWorkers(0); // the tenant may have no more workers: the engine answers RESOURCE_EXHAUSTED
            Map<String, String> env = Map.of("HATCHET_CLIENT_TOKEN", engine.token(),
                    "HATCHET_CLIENT_TLS_STRATEGY", "none");
            try (WorkerProcess refused = WorkerProcess.launch(1, url, logs, env)) {
                Integer exitCode = refused.awaitExit(Duration.ofSeconds(60));

                assertThat(exitCode).as("ended by itself; output: %s", refused.output()).isEqualTo(1);
                assertThat(refused.output()).contains("kaaj: cannot start: Hatchet refused to register worker "
                        + "kaaj-worker-1: RESOURCE_EXHAUSTED resource exhausted: tenant worker limit");
                assertThat(engine.workflows()).as("it got as far as putting the workflows").isNotEmpty();
                assertThat(engine.workers()).isEmpty();
            }
        }
    }

    @Test
    void aWorkerTheEngineRefusesToRegisterAgainExitsSayingWhy() throws Exception {
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-hatchet-refused-again");
        try (TestHatchet engine = new TestHatchet()) {
            Map<String, String> env = Map.of("HATCHET_CLIENT_TOKEN", engine.token(),
                    "HATCHET_CLIENT_TLS_STRATEGY", "none");
            try (WorkerProcess worker = WorkerProcess.start(1, url, logs, env)) {
                engine.limitWorkers(0);
                engine.forgetWorkers(); // as the engine's retention job does: the worker must register again

                Integer exitCode = worker.awaitExit(Duration.ofSeconds(60));

                assertThat(exitCode).as("ended by itself; output: %s", worker.output()).isEqualTo(1);
                assertThat(worker.output()).contains("kaaj: stopping: Hatchet refused to register worker "
                        + "kaaj-worker-1: RESOURCE_EXHAUSTED");
            }
        }
    }

    @Test
    void aWorkerStoppedMidStepHandsItToTheOtherWorkerThroughHatchet() throws Exception {
        Ocrs.assumeTesseractInstalled();
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-hatchet-workers");
        try (TestHatchet engine = new TestHatchet()) {
            Map<String, String> api = new HashMap<>(engine.clientSettings());
            api.put("database.url", url);
            Map<String, String> env = Map.of("HATCHET_CLIENT_TOKEN", engine.token(),
                    "HATCHET_CLIENT_TLS_STRATEGY", "none", "KAAJ_WORKER_SLOTS", "1",
                    "KAAJ_WORKER_STOP_GRACE_SECONDS", "0");
            try (TestApp app = TestApp.start(KaajApplication.Role.API, api);
                 WorkerProcess first = WorkerProcess.start(1, url, logs, env);
                 WorkerProcess second = WorkerProcess.start(2, url, logs, env)) {
                assertThat(engine.workers()).extracting(w -> w.registration.getWorkerName())
                        .containsExactlyInAnyOrder("kaaj-worker-1", "kaaj-worker-2");
                TestApp.Response accepted = app.upload("/api/lenders/upload", "scan.pdf",
                        GuidelinePdfs.scannedPdf(WorkerFaultTest.SCANNED), Map.of("name", "Hatchet Hand-over Leasing"));
                assertThat(accepted.status()).isEqualTo(202);
                Run run = engine.awaitRun(r -> r.tasks.get("extract-text").status == TaskStatus.RUNNING,
                        Duration.ofSeconds(30));
                String busyWorker = engine.workers().stream()
                        .filter(w -> w.id.equals(run.tasks.get("extract-text").workerId))
                        .findFirst().orElseThrow().registration.getWorkerName();
                WorkerProcess busy = busyWorker.equals("kaaj-worker-1") ? first : second;

                long stopped = System.nanoTime();
                assertThat(busy.terminate(Duration.ofSeconds(30))).as("exits within its grace period").isTrue();
                JsonNode lender = app.awaitStatus("/api/lenders/" + accepted.json().path("lender_id").asLong(),
                        "active", "failed");

                assertThat(lender.path("status").asText()).as("%s", lender).isEqualTo("active");
                assertThat(Duration.ofNanos(System.nanoTime() - stopped))
                        .as("handed over, not left for the 120 s step timeout").isLessThan(Duration.ofSeconds(60));
                assertThat(engine.events()).containsSubsequence("extract-text:FAILED:0", "extract-text:COMPLETED:1");
                assertThat(lender.path("run").path("steps").get(1).path("attempts").asInt()).isEqualTo(2);
                assertThat(lender.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(670);
                JsonNode engineHealth = app.get("/api/health").json().path("engine");
                assertThat(engineHealth.path("status").asText()).as("%s", engineHealth).isEqualTo("up");
                assertThat(engineHealth.path("role").asText()).isEqualTo("api: worker processes run the steps");
                assertThat(engineHealth.has("worker")).isFalse();
            }
        }
    }
}
