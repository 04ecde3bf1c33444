package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.store.Sql;
import ai.kaaj.store.WorkerStore;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoints the console's pages read, over HTTP as the console calls them, and its static files. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiTest {

    private TestApp app;

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start();
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    private long createLender(String name, String criteria) throws Exception {
        Response created = app.postJson("/api/lenders", "{\"name\": \"" + name + "\", \"criteria\": " + criteria + "}");
        assertThat(created.status()).as("create %s: %s", name, created.json()).isEqualTo(201);
        return created.json().path("lender_id").asLong();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("lenders").forEach(lender -> names.add(lender.path("name").asText()));
        return names;
    }

    @Test
    void theLenderListIsPagedAndSearchedByNameWithItsProgramCounts() throws Exception {
        String one = "{\"programs\": [{\"name\": \"Standard\", \"min_fico\": 650}]}";
        createLender("Paging Alpha One", one);
        createLender("Paging Alpha Two", "{\"programs\": [{\"name\": \"A\"}, {\"name\": \"B\", \"min_fico\": 700}]}");
        createLender("Paging Alpha Three", one);
        createLender("Paging Beta_x", one);
        createLender("Paging 100% Capital", one);

        JsonNode first = app.get("/api/lenders?q=paging&limit=2").json();
        assertThat(names(first)).containsExactly("Paging Alpha One", "Paging Alpha Two");
        assertThat(first.path("total").asInt()).isEqualTo(5);
        assertThat(first.path("lenders").get(1).path("program_count").asInt()).isEqualTo(2);
        assertThat(first.path("lenders").get(0).path("program_count").asInt()).isEqualTo(1);
        assertThat(names(app.get("/api/lenders?q=paging&limit=2&offset=4").json()))
                .containsExactly("Paging 100% Capital");

        JsonNode alphas = app.get("/api/lenders?q=ALPHA&limit=1").json();
        assertThat(alphas.path("total").asInt()).isEqualTo(3);
        assertThat(names(alphas)).containsExactly("Paging Alpha One");
        // the search text is literal: % and _ are no wildcards
        assertThat(names(app.get("/api/lenders?q=%25").json())).containsExactly("Paging 100% Capital");
        assertThat(names(app.get("/api/lenders?q=_").json())).containsExactly("Paging Beta_x");
        assertThat(names(app.get("/api/lenders?q=paging&status=inactive").json())).isEmpty();

        Response badLimit = app.get("/api/lenders?limit=0");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().path("error").asText()).contains("limit '0'");
        assertThat(app.get("/api/lenders?offset=-1").status()).isEqualTo(400);
    }

    @Test
    void criteriaVersionsAreListedAndTwoOfThemCompared() throws Exception {
        long id = createLender("History Finance", """
                {"programs": [{"name": "App only", "min_fico": 650, "max_amount": 150000}],
                 "excluded_states": ["CA"]}""");
        assertThat(app.putJson("/api/lenders/" + id + "/criteria", """
                {"programs": [{"name": "App only", "min_fico": 680, "max_amount": 150000},
                              {"name": "Full financials", "min_annual_revenue": 1000000}],
                 "excluded_states": ["CA", "NV"]}""").status()).isEqualTo(200);

        JsonNode versions = app.get("/api/lenders/" + id + "/versions").json();
        assertThat(versions.path("current_version").asInt()).isEqualTo(2);
        assertThat(versions.path("versions")).extracting(v -> v.path("version").asInt()).containsExactly(2, 1);
        assertThat(versions.path("versions")).extracting(v -> v.path("current").asBoolean()).containsExactly(true, false);
        assertThat(versions.path("versions")).extracting(v -> v.path("source").asText()).containsOnly("manual");
        assertThat(versions.path("versions")).extracting(v -> v.path("program_count").asInt()).containsExactly(2, 1);

        JsonNode first = app.get("/api/lenders/" + id + "/versions/1").json();
        assertThat(first.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(650);

        JsonNode diff = app.get("/api/lenders/" + id + "/diff?from=1&to=2").json();
        assertThat(diff.path("from").asInt()).isEqualTo(1);
        assertThat(diff.path("to").asInt()).isEqualTo(2);
        assertThat(diff.path("changes")).extracting(c -> c.path("kind").asText() + " " + c.path("path").asText())
                .containsExactly("changed programs[0].min_fico", "added programs[1]", "changed excluded_states");
        JsonNode fico = diff.path("changes").get(0);
        assertThat(fico.path("from").asInt()).isEqualTo(650);
        assertThat(fico.path("to").asInt()).isEqualTo(680);
        assertThat(fico.path("program").asText()).isEqualTo("App only");

        assertThat(app.get("/api/lenders/" + id + "/diff?from=1").status()).isEqualTo(400);
        Response missing = app.get("/api/lenders/" + id + "/versions/9");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error").asText()).contains("no criteria version 9");
        assertThat(app.get("/api/lenders/999999/versions").status()).isEqualTo(404);
    }

    @Test
    void aDocumentsPagesAreReadWithTheirText() throws Exception {
        Response upload = app.upload("/api/lenders/upload", "pages.pdf", GuidelinePdfs.textPdf(
                "Pages Capital\nMinimum FICO: 640\f Not available in: Nevada"), Map.of("name", "Pages Capital"));
        assertThat(upload.status()).isEqualTo(202);
        JsonNode lender = app.awaitStatus("/api/lenders/" + upload.json().path("lender_id").asLong(), "active", "failed");
        long documentId = lender.path("document").path("document_id").asLong();

        JsonNode pages = app.get("/api/documents/" + documentId + "/pages").json();
        assertThat(pages.path("pages")).extracting(p -> p.path("page_number").asInt()).containsExactly(1, 2);
        assertThat(pages.path("pages").get(0).path("method").asText()).isEqualTo("text");
        assertThat(pages.path("pages").get(0).path("text").asText()).contains("Minimum FICO: 640");
        assertThat(pages.path("pages").get(1).path("text").asText()).contains("Nevada");
        assertThat(pages.path("pages").get(0).has("document_id")).isFalse();

        HttpResponse<byte[]> image = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                + "/api/documents/" + documentId + "/pages/2/image")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).contains("image/png");
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(image.body()));
        // two pixels per PDF point: a US letter page is 612 x 792 points
        assertThat(png.getWidth()).isEqualTo(1224);
        assertThat(png.getHeight()).isEqualTo(1584);
        Response noPage = app.get("/api/documents/" + documentId + "/pages/3/image");
        assertThat(noPage.status()).isEqualTo(404);
        assertThat(noPage.json().path("error").asText()).contains("has no page 3");

        Response text = app.upload("/api/lenders/upload", "plain.txt", "Plain Leasing\nMinimum FICO: 640"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of("name", "Plain Leasing"));
        long textDocument = text.json().path("document_id").asLong();
        Response notPdf = app.get("/api/documents/" + textDocument + "/pages/1/image");
        assertThat(notPdf.status()).isEqualTo(404);
        assertThat(notPdf.json().path("error").asText()).contains("not a PDF");

        assertThat(app.get("/api/documents/999999/pages").status()).isEqualTo(404);
        assertThat(app.get("/api/documents/abc/pages").status()).isEqualTo(404);
    }

    @Test
    void runsOfBothWorkflowsAreListedNewestFirstAndFiltered() throws Exception {
        Response upload = app.upload("/api/lenders/upload", "runs.pdf", GuidelinePdfs.textPdf(
                "Runs Leasing\nMinimum FICO: 640"), Map.of("name", "Runs Leasing"));
        long lenderId = upload.json().path("lender_id").asLong();
        app.awaitStatus("/api/lenders/" + lenderId, "active", "failed");
        Response application = app.postJson("/api/applications", "{\"business_name\": \"Runs Bakery\", \"fico\": 700}");
        long applicationId = application.json().path("application_id").asLong();
        app.awaitStatus("/api/applications/" + applicationId, "matched", "failed");

        JsonNode all = app.get("/api/runs").json();
        JsonNode newest = all.path("runs").get(0);
        assertThat(newest.path("run_id").asText()).isEqualTo(application.json().path("run_id").asText());
        assertThat(newest.path("workflow").asText()).isEqualTo("loan-matching");
        assertThat(newest.path("application_id").asLong()).isEqualTo(applicationId);
        assertThat(newest.path("status").asText()).isEqualTo("succeeded");
        assertThat(newest.path("steps_done").asInt()).isEqualTo(3);
        assertThat(newest.path("steps_total").asInt()).isEqualTo(3);
        assertThat(newest.path("duration_ms").isNumber()).isTrue();
        assertThat(all.path("total").asInt()).isGreaterThanOrEqualTo(2);

        JsonNode lenderRuns = app.get("/api/runs?workflow=lender-processing&status=succeeded&limit=500").json();
        assertThat(lenderRuns.path("runs")).allSatisfy(run -> {
            assertThat(run.path("workflow").asText()).isEqualTo("lender-processing");
            assertThat(run.path("status").asText()).isEqualTo("succeeded");
        });
        assertThat(lenderRuns.path("runs")).anySatisfy(run -> {
            assertThat(run.path("lender_id").asLong()).isEqualTo(lenderId);
            assertThat(run.path("run_id").asText()).isEqualTo(upload.json().path("run_id").asText());
        });
        assertThat(app.get("/api/runs?status=failed").json().path("runs")).isEmpty();

        Response badWorkflow = app.get("/api/runs?workflow=nope");
        assertThat(badWorkflow.status()).isEqualTo(400);
        assertThat(badWorkflow.json().path("error").asText()).contains("lender-processing", "loan-matching");
        assertThat(app.get("/api/runs?limit=501").status()).isEqualTo(400);
    }

    @Test
    void theWorkerOfThisProcessIsListedAliveWithItsSlots() throws Exception {
        String name = app.get("/api/health").json().path("engine").path("worker").asText();
        JsonNode worker = app.await("/api/workers", json -> json.path("workers").size() > 0, Duration.ofSeconds(20))
                .path("workers").get(0);
        assertThat(worker.path("name").asText()).isEqualTo(name);
        assertThat(worker.path("engine").asText()).isEqualTo("embedded");
        assertThat(worker.path("alive").asBoolean()).isTrue();
        assertThat(worker.path("slots").asInt()).isEqualTo(4);
        assertThat(worker.path("slots_in_use").asInt()).isBetween(0, 4);
    }

    @Test
    void aWorkerSilentPastTheWindowIsNotAliveAndOneThatStoppedIsGone() {
        WorkerStore workers = new WorkerStore(new Sql(app.app().database().dataSource()));
        workers.beat("test-host:1/worker-9", "hatchet", 8, 3);
        assertThat(workers.recent(Duration.ofMinutes(1))).filteredOn(w -> w.name().equals("test-host:1/worker-9"))
                .singleElement().satisfies(w -> {
                    assertThat(w.alive()).isTrue();
                    assertThat(w.slotsInUse()).isEqualTo(3);
                    assertThat(w.engine()).isEqualTo("hatchet");
                });
        assertThat(workers.recent(Duration.ZERO)).filteredOn(w -> w.name().equals("test-host:1/worker-9"))
                .singleElement().satisfies(w -> assertThat(w.alive()).isFalse());
        workers.remove("test-host:1/worker-9");
        assertThat(workers.recent(Duration.ofMinutes(1))).noneMatch(w -> w.name().equals("test-host:1/worker-9"));
    }

    @Test
    void theConsoleIsServedAtTheRootWithItsFilesAndNothingElse() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(index.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("default-src 'self'"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"/console/console.js\"></script>");

        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                + "/console/console.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("text/javascript"));
        for (String path : List.of("/console/missing.js", "/console/..%2Fdb%2Fmigration%2FV1__schema.sql",
                "/console/V1__schema.sql")) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
        }
    }
}
