package ai.kaaj.it;

import ai.kaaj.KaajApplication;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.store.Sql;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Worker processes killed or stopped in the middle of a step: the run is finished by another worker
 * and the database holds exactly one set of results.
 */
class WorkerFaultTest {

    /** Three scanned pages: OCR keeps extract-text busy for a few seconds, long enough to interrupt. */
    static final String SCANNED = "Minimum FICO: 670\nTime in business: 2 years\f"
            + "Maximum term: 60 months\nTransaction size: $10,000 - $200,000\f"
            + "Restricted industries: cannabis, gambling\nNot available in: Nevada";

    @Test
    void aRunWhoseWorkerIsKilledMidStepIsResumedByAnotherAfterTheLease() throws Exception {
        Ocrs.assumeTesseractInstalled();
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-workers");
        Map<String, String> env = Map.of("KAAJ_ENGINE_LEASE_SECONDS", "3", "KAAJ_WORKER_SLOTS", "1");
        try (TestApp api = TestApp.start(KaajApplication.Role.API, Map.of("database.url", url));
             WorkerProcess first = WorkerProcess.start(1, url, logs, env)) {
            long lenderId = upload(api, "Killed Mid Step Leasing");
            UUID run = runOf(api, lenderId);
            Sql sql = new Sql(api.app().database().dataSource());
            awaitStepRunning(sql, run, "extract-text", first.pid());

            first.kill();
            try (WorkerProcess second = WorkerProcess.start(2, url, logs, env)) {
                JsonNode lender = api.awaitLenderProcessed(lenderId);
                assertThat(lender.path("status").asText()).as("%s", lender).isEqualTo("active");
                JsonNode steps = lender.path("run").path("steps");
                assertThat(steps.get(0).path("attempts").asInt()).as("fetch-lender is not done again").isEqualTo(1);
                assertThat(steps.get(1).path("attempts").asInt()).as("extract-text resumed once").isEqualTo(2);
                assertExactlyOneSetOfResults(sql, lenderId, 3);
                assertThat(second.log()).contains("step extract-text attempt 2");
            }
        }
    }

    @Test
    void aWorkerStoppedWithSigtermHandsItsRunToAnotherAtOnce() throws Exception {
        Ocrs.assumeTesseractInstalled();
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-workers");
        // A long lease: the run must move on because it was released, not because the lease ran out.
        Map<String, String> env = Map.of("KAAJ_ENGINE_LEASE_SECONDS", "120", "KAAJ_WORKER_SLOTS", "1",
                "KAAJ_WORKER_STOP_GRACE_SECONDS", "0");
        try (TestApp api = TestApp.start(KaajApplication.Role.API, Map.of("database.url", url));
             WorkerProcess first = WorkerProcess.start(1, url, logs, env);
             WorkerProcess second = WorkerProcess.start(2, url, logs, env)) {
            long lenderId = upload(api, "Graceful Stop Capital");
            UUID run = runOf(api, lenderId);
            Sql sql = new Sql(api.app().database().dataSource());
            long owner = awaitStepRunning(sql, run, "extract-text", -1);
            WorkerProcess busy = owner == first.pid() ? first : second;

            long stopped = System.nanoTime();
            assertThat(busy.terminate(Duration.ofSeconds(30))).as("the worker exits within its grace period").isTrue();
            JsonNode lender = api.awaitLenderProcessed(lenderId);
            long seconds = Duration.ofNanos(System.nanoTime() - stopped).toSeconds();
            assertThat(lender.path("status").asText()).isEqualTo("active");
            assertThat(seconds).as("picked up long before the 120 s lease would expire").isLessThan(60);
            assertThat(lender.path("run").path("steps").get(1).path("attempts").asInt())
                    .as("the interrupted step ran again on the other worker").isEqualTo(2);
            assertExactlyOneSetOfResults(sql, lenderId, 3);
        }
    }

    /**
     * A document whose reading takes its worker down, again on every worker that resumes it: the attempts
     * in flight count, and once extract-text's three are spent the lender fails instead of killing workers
     * for ever. The reader processes die with their workers.
     */
    @Test
    void aDocumentWhoseWorkerDiesOnEveryAttemptFailsTheLenderWithTheReason() throws Exception {
        Ocrs.assumeTesseractInstalled();
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-workers");
        Map<String, String> env = Map.of("KAAJ_ENGINE_LEASE_SECONDS", "3", "KAAJ_WORKER_SLOTS", "1");
        try (TestApp api = TestApp.start(KaajApplication.Role.API, Map.of("database.url", url))) {
            long lenderId = upload(api, "Killer Document Leasing");
            UUID run = runOf(api, lenderId);
            Sql sql = new Sql(api.app().database().dataSource());
            for (int worker = 1; worker <= 3; worker++) {
                try (WorkerProcess dying = WorkerProcess.start(worker, url, logs, env)) {
                    awaitStepRunning(sql, run, "extract-text", dying.pid());
                    List<ProcessHandle> readers = awaitChildren(dying);
                    dying.kill();
                    for (ProcessHandle reader : readers) {
                        assertThat(reader.onExit()).as("the reader ends with its worker")
                                .succeedsWithin(Duration.ofSeconds(10));
                    }
                }
            }
            try (WorkerProcess fourth = WorkerProcess.start(4, url, logs, env)) {
                JsonNode lender = api.awaitLenderProcessed(lenderId);
                assertThat(lender.path("status").asText()).as("%s", lender).isEqualTo("failed");
                assertThat(lender.path("error").asText()).isEqualTo(
                        "extract-text: the worker running extract-text stopped 3 times while reading this document");
                JsonNode extractText = lender.path("run").path("steps").get(1);
                assertThat(extractText.path("attempts").asInt()).as("no fourth attempt").isEqualTo(3);
                assertThat(lender.path("run").path("status").asText()).isEqualTo("failed");
                assertThat(fourth.isAlive()).isTrue();
            }
        }
    }

    private static List<ProcessHandle> awaitChildren(WorkerProcess worker) {
        return await("the worker reads the document in a child process").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20)).until(worker::children, children -> !children.isEmpty());
    }

    private static long upload(TestApp api, String name) throws Exception {
        TestApp.Response response = api.upload("/api/lenders/upload", "scan.pdf", GuidelinePdfs.scannedPdf(SCANNED),
                Map.of("name", name));
        assertThat(response.status()).isEqualTo(202);
        return response.json().path("lender_id").asLong();
    }

    private static UUID runOf(TestApp api, long lenderId) throws Exception {
        return UUID.fromString(api.get("/api/lenders/" + lenderId).json().path("run").path("run_id").asText());
    }

    /** Waits until the step runs, held by the given worker process (or any, with -1); returns the holder's pid. */
    private static long awaitStepRunning(Sql sql, UUID run, String step, long pid) throws Exception {
        String holder = await("step " + step + " of run " + run + " running").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> sql.queryOne("""
                        select r.lease_owner from workflow_runs r join workflow_steps s on s.run_id = r.id
                         where r.id = ? and s.step = ? and s.status = 'running'""", row -> row.getString(1), run, step),
                        owner -> owner.isPresent() && (pid < 0 || owner.get().contains(":" + pid + "/"))).orElseThrow();
        return Long.parseLong(holder.replaceAll(".*:(\\d+)/.*", "$1"));
    }

    private static void assertExactlyOneSetOfResults(Sql sql, long lenderId, int pages) {
        assertThat(sql.queryOne("select count(*) from lender_criteria where lender_id = ?", row -> row.getInt(1),
                lenderId).orElseThrow()).isEqualTo(1);
        assertThat(sql.queryOne("select count(*) from document_pages p join lenders l on l.document_id = p.document_id"
                + " where l.id = ?", row -> row.getInt(1), lenderId).orElseThrow()).isEqualTo(pages);
        assertThat(sql.queryOne("select count(*) from workflow_runs where status = 'succeeded'", row -> row.getInt(1))
                .orElseThrow()).isEqualTo(1);
    }
}
