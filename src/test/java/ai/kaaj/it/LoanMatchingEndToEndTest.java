package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Loan matching as a user meets it: lenders in, an application in, ranked matches with reasons out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoanMatchingEndToEndTest {

    static final String RIVERA = """
            {"business_name": "Rivera Excavation LLC", "state": "TX", "industry": "excavation contractor",
             "naics": "238910", "time_in_business_months": 48, "annual_revenue": 1800000,
             "amount_requested": 120000, "term_months": 60, "equipment_type": "construction",
             "equipment_year": 2021, "equipment_condition": "used", "fico": 702, "paynet": 680,
             "bankruptcy_discharged_years_ago": null, "down_payment_pct": 10}""";

    private TestApp app;

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(Map.of());
        lender("Broad Street Capital", "{\"programs\": [{\"name\": \"Standard\", \"min_fico\": 650, "
                + "\"min_time_in_business_months\": 24, \"min_amount\": 10000, \"max_amount\": 500000}]}");
        lender("Picky Bank", "{\"programs\": [{\"name\": \"Prime\", \"min_fico\": 740, \"max_amount\": 100000}]}");
        lender("Lone Star Leasing", "{\"programs\": [{\"name\": \"Standard\", \"min_fico\": 600}], "
                + "\"excluded_states\": [\"TX\"]}");
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    private long lender(String name, String criteria) throws Exception {
        Response created = app.postJson("/api/lenders", "{\"name\": \"" + name + "\", \"criteria\": " + criteria + "}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        return created.json().path("lender_id").asLong();
    }

    private JsonNode submitAndAwait(String json) throws Exception {
        Response accepted = app.postJson("/api/applications", json);
        assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
        assertThat(accepted.json().path("run_id").asText()).isNotEmpty();
        long id = accepted.json().path("application_id").asLong();
        JsonNode application = app.awaitStatus("/api/applications/" + id, "matched", "failed");
        assertThat(application.path("status").asText()).as("%s", application).isEqualTo("matched");
        return application;
    }

    private JsonNode matches(long applicationId, String query) throws Exception {
        Response response = app.get("/api/applications/" + applicationId + "/matches" + query);
        assertThat(response.status()).isEqualTo(200);
        return response.json().path("matches");
    }

    @Test
    void everyActiveLenderIsRankedWithItsReasons() throws Exception {
        JsonNode application = submitAndAwait(RIVERA);
        long id = application.path("application_id").asLong();
        JsonNode matches = matches(id, "");

        // Ineligible lenders come by fewest failures: Lone Star fails one criterion, Picky Bank two.
        assertThat(matches.findValuesAsText("lender_name"))
                .containsExactly("Broad Street Capital", "Lone Star Leasing", "Picky Bank");
        JsonNode best = matches.get(0);
        assertThat(best.path("status").asText()).isEqualTo("eligible");
        assertThat(best.path("rank").asInt()).isEqualTo(1);
        assertThat(best.path("program").asText()).isEqualTo("Standard");
        assertThat(best.path("score").asInt()).isBetween(1, 100);
        assertThat(best.path("criteria").findValuesAsText("result")).containsOnly("pass");

        JsonNode loneStar = matches.get(1);
        assertThat(loneStar.path("status").asText()).isEqualTo("ineligible");
        assertThat(loneStar.path("criteria").toString()).contains("TX is an excluded state");
        JsonNode picky = matches.get(2);
        assertThat(picky.path("status").asText()).isEqualTo("ineligible");
        assertThat(picky.path("criteria").toString()).contains("FICO 702 is below the minimum of 740",
                "Amount requested $120,000 is above the maximum of $100,000");

        assertThat(matches(id, "?status=eligible").findValuesAsText("lender_name"))
                .containsExactly("Broad Street Capital");
        assertThat(app.get("/api/runs/" + application.path("run").path("run_id").asText()).json()
                .path("steps").findValuesAsText("step"))
                .containsExactly("prepare-matching", "calculate-matches", "finalize-matching");
    }

    @Test
    void oneLendersFailureIsThatLendersErrorAndTheOthersAreStillMatched() throws Exception {
        long broken = lender("Broken Data Bank", "{\"programs\": [{\"name\": \"P\", \"min_fico\": 600}]}");
        // Criteria damaged in the database (a bad manual edit, say): evaluating this lender throws.
        new ai.kaaj.store.Sql(app.app().database().dataSource())
                .update("update lenders set criteria = '{\"programs\": \"not a list\"}' where id = ?", broken);
        try {
            JsonNode application = submitAndAwait(RIVERA.replace("Rivera Excavation LLC", "Isolation Co"));
            JsonNode matches = matches(application.path("application_id").asLong(), "");
            assertThat(matches.findValuesAsText("lender_name")).contains("Broad Street Capital", "Broken Data Bank");
            JsonNode last = matches.get(matches.size() - 1);
            assertThat(last.path("lender_name").asText()).isEqualTo("Broken Data Bank");
            assertThat(last.path("status").asText()).isEqualTo("error");
            assertThat(last.path("error").asText()).contains("evaluation failed");
            assertThat(matches.get(0).path("status").asText()).isEqualTo("eligible");
        } finally {
            app.post("/api/lenders/" + broken + "/deactivate");
        }
    }

    @Test
    void missingFieldsMakeAConditionalMatch() throws Exception {
        JsonNode application = submitAndAwait("{\"business_name\": \"Sparse Inc\", \"state\": \"OK\", "
                + "\"amount_requested\": 50000}");
        JsonNode matches = matches(application.path("application_id").asLong(), "");
        JsonNode broad = null;
        for (JsonNode match : matches) {
            if (match.path("lender_name").asText().equals("Broad Street Capital")) {
                broad = match;
            }
        }
        assertThat(broad).isNotNull();
        assertThat(broad.path("status").asText()).isEqualTo("conditional");
        assertThat(broad.path("criteria").toString()).contains("FICO is not provided; the program requires at least 650");
        // Lone Star needs only the FICO, Broad Street FICO and time in business: fewer unknowns rank higher.
        assertThat(matches.get(0).path("lender_name").asText()).isEqualTo("Lone Star Leasing");
        assertThat(matches.get(0).path("score").asInt()).isGreaterThan(broad.path("score").asInt());
    }

    @Test
    void oldResultsStayUntilRematched() throws Exception {
        long id = submitAndAwait(RIVERA.replace("Rivera Excavation LLC", "Rematch Co")).path("application_id").asLong();
        assertThat(matches(id, "")).hasSize(3);

        long added = lender("Late Lender", "{\"programs\": [{\"name\": \"Any\", \"min_fico\": 500}]}");
        assertThat(matches(id, "")).as("a lender added later does not change old results").hasSize(3);

        Response rematch = app.post("/api/applications/" + id + "/rematch");
        assertThat(rematch.status()).isEqualTo(202);
        String runId = rematch.json().path("run_id").asText();
        app.await("/api/applications/" + id, json -> json.path("run").path("run_id").asText().equals(runId)
                && json.path("status").asText().equals("matched"), Duration.ofSeconds(30));
        assertThat(matches(id, "").findValuesAsText("lender_name")).contains("Late Lender").hasSize(4);

        app.post("/api/lenders/" + added + "/deactivate");
    }

    @Test
    void badApplicationsAreRefusedAndNothingIsStored() throws Exception {
        int before = app.get("/api/applications").json().path("applications").size();
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", "), 400, "not valid JSON");
        assertRefused(app.postJson("/api/applications", "[1, 2]"), 400, "JSON object");
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", \"fico\": \"high\"}"), 400, "fico");
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", \"amount_requested\": -5}"), 422,
                "amount_requested");
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", \"annual_revenue\": -1}"), 422,
                "annual_revenue");
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", \"fico\": 900}"), 422,
                "fico must be between 300 and 850");
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", \"state\": \"ZZ\"}"), 422, "ZZ");
        assertRefused(app.postJson("/api/applications", "{\"business_name\": \"X\", \"colour\": \"red\"}"), 400,
                "colour");
        assertRefused(app.postJson("/api/applications", "{\"state\": \"TX\"}"), 422, "business_name");
        byte[] pdf = GuidelinePdfs.textPdf("Business Name: Broken PDF LLC");
        assertRefused(app.upload("/api/applications/upload", "app.pdf", Arrays.copyOf(pdf, pdf.length / 2), Map.of()),
                422, "app.pdf");
        assertRefused(app.upload("/api/applications/upload", "app.pdf", "hello".getBytes(), Map.of()), 415,
                "not a PDF");
        assertRefused(app.get("/api/applications/424242"), 404, "not found");
        assertThat(app.get("/api/applications").json().path("applications").size()).isEqualTo(before);
    }

    private static void assertRefused(Response response, int status, String messagePart) {
        assertThat(response.status()).as("answer %s", response.json()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).contains(messagePart);
    }

    @Test
    void aPdfApplicationIsReadAndMatched() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf(ApplicationForms.RIVERA_FORM);
        Response accepted = app.upload("/api/applications/upload", "rivera-application.pdf", pdf, Map.of());
        assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
        long id = accepted.json().path("application_id").asLong();
        JsonNode application = app.awaitStatus("/api/applications/" + id, "matched", "failed");
        assertThat(application.path("status").asText()).as("%s", application).isEqualTo("matched");
        assertThat(application.path("source").asText()).isEqualTo("pdf");
        JsonNode fields = application.path("application");
        assertThat(fields.path("business_name").asText()).isEqualTo("Rivera Excavation LLC");
        assertThat(fields.path("fico").asInt()).isEqualTo(702);
        assertThat(fields.path("amount_requested").asLong()).isEqualTo(120_000);
        assertThat(matches(id, "").get(0).path("lender_name").asText()).isEqualTo("Broad Street Capital");
    }

    @Test
    void aScannedPdfApplicationIsReadWithOcr() throws Exception {
        Ocrs.assumeTesseractInstalled();
        Response accepted = app.upload("/api/applications/upload", "scanned-application.pdf",
                GuidelinePdfs.scannedPdf(ApplicationForms.RIVERA_FORM), Map.of());
        long id = accepted.json().path("application_id").asLong();
        JsonNode application = app.awaitStatus("/api/applications/" + id, "matched", "failed");
        assertThat(application.path("status").asText()).as("%s", application).isEqualTo("matched");
        assertThat(application.path("application").path("fico").asInt()).isEqualTo(702);
        assertThat(application.path("application").path("state").asText()).isEqualTo("TX");
    }

    @Test
    void droppedApplicationsAreMatched() throws Exception {
        Path dir = Files.createDirectories(app.inbox().resolve("applications"));
        Files.writeString(dir.resolve(".tmp-drop.json"), RIVERA.replace("Rivera Excavation LLC", "Dropped LLC"));
        Files.move(dir.resolve(".tmp-drop.json"), dir.resolve("drop.json"));
        Files.writeString(dir.resolve(".tmp-bad.json"), "{\"business_name\": \"Bad\", \"fico\": 12}");
        Files.move(dir.resolve(".tmp-bad.json"), dir.resolve("bad.json"));

        await("both dropped files handled").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(dir.resolve(".done/drop.json")).exists();
                    assertThat(dir.resolve(".error/bad.json.error.txt")).exists();
                });
        assertThat(Files.readString(dir.resolve(".error/bad.json.error.txt"))).contains("fico");
        JsonNode dropped = null;
        for (String id : app.get("/api/applications").json().path("applications").findValuesAsText("application_id")) {
            JsonNode application = app.get("/api/applications/" + id).json();
            if (application.path("application").path("business_name").asText().equals("Dropped LLC")) {
                dropped = app.awaitStatus("/api/applications/" + id, "matched", "failed");
            }
        }
        assertThat(dropped).as("the dropped application is stored").isNotNull();
        assertThat(dropped.path("status").asText()).isEqualTo("matched");
        assertThat(dir.resolve(".done/drop.json")).exists();
    }
}
