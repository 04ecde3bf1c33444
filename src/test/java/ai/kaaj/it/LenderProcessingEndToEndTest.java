package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Lender processing as a user meets it: upload over HTTP, poll the API, read the criteria and the run. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LenderProcessingEndToEndTest {

    static final String GUIDELINES = """
            Acme Equipment Finance - Credit Guidelines

            Minimum FICO: 660
            Time in business: 3 years
            Transaction size: $10,000 - $250,000
            Maximum term: 60 months

            Restricted industries: cannabis, gambling, adult entertainment
            Not available in: California, Nevada
            """;

    private TestApp app;

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(Map.of("kaaj.max.upload.mb", "1"));
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    private JsonNode uploadAndAwait(String name, String fileName, byte[] pdf) throws Exception {
        Response response = app.upload("/api/lenders/upload", fileName, pdf, Map.of("name", name));
        assertThat(response.status()).as("upload answer %s", response.json()).isEqualTo(202);
        assertThat(response.json().path("run_id").asText()).isNotEmpty();
        assertThat(response.json().path("document_id").asLong()).isPositive();
        assertThat(response.json().path("status").asText()).isEqualTo("pending");
        long lenderId = response.json().path("lender_id").asLong();
        return app.awaitLenderProcessed(lenderId);
    }

    @Test
    void aTextPdfBecomesAnActiveLenderWithItsCriteria() throws Exception {
        JsonNode lender = uploadAndAwait("Acme Equipment Finance", "guidelines.pdf", GuidelinePdfs.textPdf(GUIDELINES));

        assertThat(lender.path("status").asText()).as("lender %s", lender).isEqualTo("active");
        assertThat(lender.path("criteria_source").asText()).isEqualTo("rules");
        JsonNode program = lender.path("criteria").path("programs").get(0);
        assertThat(program.path("min_fico").asInt()).isEqualTo(660);
        assertThat(program.path("min_time_in_business_months").asInt()).isEqualTo(36);
        assertThat(program.path("min_amount").asLong()).isEqualTo(10_000);
        assertThat(program.path("max_amount").asLong()).isEqualTo(250_000);
        assertThat(program.path("max_term_months").asInt()).isEqualTo(60);
        assertThat(lender.path("criteria").path("excluded_states").toString()).contains("CA", "NV");
        assertThat(lender.path("criteria").path("excluded_industries").toString()).contains("cannabis", "gambling");
        assertThat(lender.path("document").path("pages").get(0).path("method").asText()).isEqualTo("text");

        JsonNode run = lender.path("run");
        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        assertThat(run.path("steps")).extracting(step -> step.path("step").asText())
                .containsExactly("fetch-lender", "extract-text", "extract-criteria", "validate-enrich", "update-lender");
        Response runView = app.get("/api/runs/" + run.path("run_id").asText());
        assertThat(runView.status()).isEqualTo(200);
        assertThat(runView.json().path("steps").get(1).path("attempts").asInt()).isEqualTo(1);

        Response listed = app.get("/api/lenders?status=active");
        assertThat(listed.json().path("lenders").findValuesAsText("name")).contains("Acme Equipment Finance");
    }

    @Test
    void aScannedPdfIsReadWithOcr() throws Exception {
        Ocrs.assumeTesseractInstalled();
        JsonNode lender = uploadAndAwait("Scanned Capital", "scan.pdf", GuidelinePdfs.scannedPdf("""
                SCANNED CAPITAL CREDIT POLICY
                Minimum FICO: 680
                Time in business: 2 years
                Maximum term: 48 months
                """));
        assertThat(lender.path("status").asText()).as("lender %s", lender).isEqualTo("active");
        assertThat(lender.path("document").path("pages").get(0).path("method").asText()).isEqualTo("ocr");
        JsonNode program = lender.path("criteria").path("programs").get(0);
        assertThat(program.path("min_fico").asInt()).isEqualTo(680);
        assertThat(program.path("max_term_months").asInt()).isEqualTo(48);
    }

    @Test
    void aDocumentWithoutCriteriaIsActiveWithoutProgramsAwaitingReviewUntilAnOperatorEntersThem() throws Exception {
        JsonNode lender = uploadAndAwait("Empty Words Bank", "letter.pdf",
                GuidelinePdfs.textPdf("Dear partner,\nThank you for your interest in working with us.\n"));
        assertThat(lender.path("status").asText()).as("what a document says never fails a lender: %s", lender)
                .isEqualTo("active");
        assertThat(lender.path("review_required").asBoolean()).isTrue();
        assertThat(lender.path("criteria").path("programs")).as("nothing to match on").isEmpty();
        assertThat(lender.path("warnings").get(0).asText()).contains("no credit criteria could be read");
        assertThat(lender.path("run").path("status").asText()).isEqualTo("succeeded");

        long id = lender.path("lender_id").asLong();
        Response corrected = app.putJson("/api/lenders/" + id + "/criteria",
                "{\"programs\": [{\"name\": \"Standard\", \"min_fico\": 680}]}");
        assertThat(corrected.status()).isEqualTo(200);
        assertThat(corrected.json().path("review_required").asBoolean()).as("a correction ends the review").isFalse();
        assertThat(corrected.json().path("warnings")).isEmpty();
        assertThat(corrected.json().path("evidence").path("programs[0].min_fico").path("source").asText())
                .isEqualTo("manual");
    }

    /**
     * Two product sections each with a "Tier 3" (named with their section), and a misread maximum below its
     * minimum: these used to fail.
     */
    static final String SECTIONS_WITH_A_MISREAD = """
            Harbor Equipment Finance - Broker Guidelines

            Standard Equipment
            Tier 1
            Minimum FICO: 700
            Time in business: 5 years
            Tier 3
            Minimum FICO: 640
            Transaction size: minimum $5,000, maximum $175
            \f
            Medical Equipment
            Tier 3
            Minimum FICO: 660
            Maximum term: 60 months

            Restricted industries: cannabis, gambling
            """;

    @Test
    void aGuidelineWhoseContentUsedToFailIsActiveAwaitingReviewWithWarningsEvidenceAndQuotedReasons() throws Exception {
        JsonNode lender = uploadAndAwait("Harbor Review Finance", "harbor.pdf",
                GuidelinePdfs.textPdf(SECTIONS_WITH_A_MISREAD));
        long id = lender.path("lender_id").asLong();

        assertThat(lender.path("status").asText()).as("lender %s", lender).isEqualTo("active");
        assertThat(lender.path("review_required").asBoolean()).isTrue();
        assertThat(lender.path("review_requested_at").asText()).isNotEmpty();
        JsonNode programs = lender.path("criteria").path("programs");
        assertThat(programs.findValuesAsText("name")).containsExactly("Standard Equipment – Tier 1",
                "Standard Equipment – Tier 3", "Medical Equipment – Tier 3");
        assertThat(programs.get(1).path("min_fico").asInt()).as("the rest of the misread program is kept")
                .isEqualTo(640);
        assertThat(programs.get(1).path("max_amount").isNull()).isTrue();
        assertThat(programs.get(1).path("min_amount").isNull()).isTrue();
        assertThat(lender.path("warnings").toString()).contains(
                "programs[1].max_amount (175) is less than min_amount (5000): both dropped (page 1: "
                        + "\\\"Transaction size: minimum $5,000, maximum $175\\\")");
        JsonNode evidence = lender.path("evidence");
        assertThat(evidence.path("programs[0].min_fico").path("page").asInt()).isEqualTo(1);
        assertThat(evidence.path("programs[0].min_fico").path("text").asText()).isEqualTo("Minimum FICO: 700");
        assertThat(evidence.path("programs[0].min_fico").path("locator").asText()).startsWith("line ");
        assertThat(evidence.path("programs[2].min_fico").path("page").asInt()).as("read on page 2").isEqualTo(2);
        assertThat(evidence.path("programs[2].min_fico").path("text").asText()).isEqualTo("Minimum FICO: 660");
        assertThat(evidence.path("excluded_industries[1]").path("text").asText())
                .isEqualTo("Restricted industries: cannabis, gambling");

        JsonNode awaiting = app.get("/api/lenders?review=required").json().path("lenders");
        assertThat(awaiting.findValuesAsText("name")).contains("Harbor Review Finance");
        assertThat(awaiting.findValuesAsText("review_requested_at").stream().map(java.time.Instant::parse).toList())
                .as("oldest first").isSorted();
        assertThat(app.get("/api/lenders?review=maybe").status()).isEqualTo(400);

        Response accepted = app.postJson("/api/applications", """
                {"business_name": "Rivera Excavation LLC", "state": "TX", "industry": "excavation contractor",
                 "time_in_business_months": 72, "amount_requested": 120000, "term_months": 60, "fico": 702}""");
        assertThat(accepted.status()).as("%s", accepted.json()).isEqualTo(202);
        long applicationId = accepted.json().path("application_id").asLong();
        app.awaitStatus("/api/applications/" + applicationId, "matched", "failed");
        JsonNode match = null;
        for (JsonNode m : app.get("/api/applications/" + applicationId + "/matches").json().path("matches")) {
            if (m.path("lender_id").asLong() == id) {
                match = m;
            }
        }
        assertThat(match).as("a match against the lender").isNotNull();
        assertThat(match.path("review_required").asBoolean()).isTrue();
        assertThat(match.path("review_note").asText()).contains("await an operator's review");
        assertThat(match.path("program").asText()).as("most headroom").isEqualTo("Standard Equipment – Tier 3");
        assertThat(match.path("criteria").findValuesAsText("reason"))
                .contains("FICO 702 meets the minimum of 640 (page 1: \"Minimum FICO: 640\")");

        Response approved = app.post("/api/lenders/" + id + "/approve");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().path("review_required").asBoolean()).isFalse();
        assertThat(approved.json().path("warnings").size()).as("the reading's warning stays visible").isEqualTo(1);
        assertThat(app.get("/api/lenders?review=required").json().path("lenders").findValuesAsText("name"))
                .doesNotContain("Harbor Review Finance");
        assertThat(app.post("/api/lenders/999999/approve").status()).isEqualTo(404);
    }

    @Test
    void aCorrectionQuotesWhatItLeavesAsReadAndEveryVersionKeepsItsEvidenceAndWarnings() throws Exception {
        JsonNode lender = uploadAndAwait("Harbor Corrected Finance", "harbor-corrected.pdf",
                GuidelinePdfs.textPdf(SECTIONS_WITH_A_MISREAD));
        long id = lender.path("lender_id").asLong();
        JsonNode read = lender.path("evidence");
        assertThat(read.path("programs[1].min_fico").path("source").asText()).isEqualTo("document");

        // The operator puts back Tier 3's misread amounts, as the console saves: every value, most left as read.
        ObjectNode criteria = lender.path("criteria").deepCopy();
        ((ObjectNode) criteria.path("programs").get(1)).put("min_amount", 5_000).put("max_amount", 175_000);
        Response corrected = app.putJson("/api/lenders/" + id + "/criteria", criteria.toString());
        assertThat(corrected.status()).as("%s", corrected.json()).isEqualTo(200);
        JsonNode evidence = corrected.json().path("evidence");
        assertThat(evidence.path("programs[1].max_amount").path("source").asText()).isEqualTo("manual");
        assertThat(evidence.path("programs[1].min_amount").path("source").asText()).isEqualTo("manual");
        assertThat(evidence.path("programs[1].min_fico")).as("left as read, still quoted")
                .isEqualTo(read.path("programs[1].min_fico"));
        assertThat(evidence.path("programs[2].name")).isEqualTo(read.path("programs[2].name"));
        assertThat(evidence.path("excluded_industries[1]")).isEqualTo(read.path("excluded_industries[1]"));
        assertThat(corrected.json().path("warnings")).isEmpty();
        assertThat(corrected.json().path("review_required").asBoolean()).isFalse();

        JsonNode first = app.get("/api/lenders/" + id + "/versions/1").json();
        assertThat(first.path("warnings").toString()).as("the reading's warnings stay with its version")
                .contains("programs[1].max_amount (175) is less than min_amount (5000)");
        assertThat(first.path("evidence").path("programs[0].min_fico").path("text").asText())
                .isEqualTo("Minimum FICO: 700");
        JsonNode second = app.get("/api/lenders/" + id + "/versions/2").json();
        assertThat(second.path("warnings")).isEmpty();
        assertThat(second.path("evidence")).isEqualTo(evidence);
    }

    @Test
    void theSameDocumentUploadedTwiceIsStoredOnce() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf(GUIDELINES.replace("660", "640"));
        JsonNode first = uploadAndAwait("Twice Leasing", "twice.pdf", pdf);
        Response again = app.upload("/api/lenders/upload", "twice.pdf", pdf, Map.of("name", "Twice Leasing"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("duplicate").asBoolean()).isTrue();
        assertThat(again.json().path("lender_id").asLong()).isEqualTo(first.path("lender_id").asLong());
        assertThat(again.json().path("run_id").asText()).isEqualTo(first.path("run").path("run_id").asText());
    }

    @Test
    void operatorsTypeCorrectToggleAndReprocessCriteria() throws Exception {
        Response created = app.postJson("/api/lenders", """
                {"name": "Manual Credit Co", "criteria": {"programs": [{"name": "Standard", "min_fico": 640,
                 "min_amount": 5000, "max_amount": 100000}], "excluded_states": ["tx", "Oregon"]}}""");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        assertThat(created.json().path("status").asText()).isEqualTo("active");
        assertThat(created.json().path("criteria_source").asText()).isEqualTo("manual");
        assertThat(created.json().path("criteria").path("excluded_states").toString()).contains("OR", "TX");
        assertThat(created.json().path("evidence").path("excluded_states[0]").path("source").asText())
                .isEqualTo("manual");
        assertThat(created.json().path("evidence").path("programs[0].min_fico").path("source").asText())
                .isEqualTo("manual");
        assertThat(created.json().path("review_required").asBoolean()).isFalse();
        long id = created.json().path("lender_id").asLong();

        Response duplicate = app.postJson("/api/lenders", "{\"name\": \"manual credit co\", \"criteria\": "
                + "{\"programs\": [{\"name\": \"A\", \"min_fico\": 600}]}}");
        assertThat(duplicate.status()).isEqualTo(409);

        Response corrected = app.putJson("/api/lenders/" + id + "/criteria",
                "{\"programs\": [{\"name\": \"Standard\", \"min_fico\": 700}]}");
        assertThat(corrected.status()).isEqualTo(200);
        assertThat(corrected.json().path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(700);
        assertThat(corrected.json().path("criteria_version").asInt()).isEqualTo(2);

        Response invalid = app.putJson("/api/lenders/" + id + "/criteria",
                "{\"programs\": [{\"name\": \"Standard\", \"min_fico\": -5, \"min_amount\": 9000, \"max_amount\": 100}],"
                        + " \"excluded_states\": [\"XX\"]}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("error").asText()).contains("min_fico", "max_amount", "XX");
        assertThat(app.get("/api/lenders/" + id).json().path("criteria_version").asInt())
                .as("a refused correction changes nothing").isEqualTo(2);

        assertThat(app.post("/api/lenders/" + id + "/deactivate").json().path("status").asText()).isEqualTo("inactive");
        assertThat(app.get("/api/lenders?status=active").json().path("lenders").findValuesAsText("name"))
                .doesNotContain("Manual Credit Co");
        assertThat(app.post("/api/lenders/" + id + "/activate").json().path("status").asText()).isEqualTo("active");
        assertThat(app.post("/api/lenders/" + id + "/reprocess").status())
                .as("a lender without a document has nothing to reprocess").isEqualTo(409);
    }

    @Test
    void reprocessRunsThePipelineAgain() throws Exception {
        JsonNode lender = uploadAndAwait("Again Finance", "again.pdf", GuidelinePdfs.textPdf(GUIDELINES));
        long id = lender.path("lender_id").asLong();
        Response reprocess = app.post("/api/lenders/" + id + "/reprocess");
        assertThat(reprocess.status()).isEqualTo(202);
        String newRun = reprocess.json().path("run_id").asText();
        assertThat(newRun).isNotEqualTo(lender.path("run").path("run_id").asText());
        JsonNode done = app.await("/api/lenders/" + id,
                json -> json.path("run").path("run_id").asText().equals(newRun)
                        && json.path("run").path("status").asText().equals("succeeded"), java.time.Duration.ofSeconds(30));
        assertThat(done.path("criteria_version").asInt()).isEqualTo(2);
        assertThat(done.path("status").asText()).isEqualTo("active");
    }

    @Test
    void badUploadsAreRefusedAndChangeNothing() throws Exception {
        int lendersBefore = app.get("/api/lenders").json().path("lenders").size();
        byte[] good = GuidelinePdfs.textPdf(GUIDELINES);

        assertRefused(app.upload("/api/lenders/upload", "empty.pdf", new byte[0], Map.of("name", "X")), 400, "empty");
        assertRefused(app.upload("/api/lenders/upload", "notes.pdf", "just some text".getBytes(StandardCharsets.UTF_8),
                Map.of("name", "X")), 415, "not a PDF");
        assertRefused(app.upload("/api/lenders/upload", "cut.pdf", Arrays.copyOf(good, good.length / 2),
                Map.of("name", "X")), 422, "cut.pdf");
        assertRefused(app.upload("/api/lenders/upload", "locked.pdf", encrypted(good), Map.of("name", "X")), 422,
                "encrypted");
        byte[] large = new byte[1024 * 1024 + 10];
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, large, 0, 9);
        assertRefused(app.upload("/api/lenders/upload", "large.pdf", large, Map.of("name", "X")), 413, "limit");
        assertRefused(app.upload("/api/lenders/upload", "g.pdf", good, Map.of()), 400, "name is required");
        assertRefused(app.upload("/api/lenders/upload", "g.pdf", good, Map.of("name", "n".repeat(10_000))), 400,
                "200 characters");
        assertRefused(app.upload("/api/lenders/upload", "g.pdf", good, Map.of("name", "n".repeat(500))), 400,
                "500 characters long");
        assertRefused(app.upload("/api/lenders/upload", "../../etc/passwd.pdf", good, Map.of("name", "X")), 400,
                "not allowed");
        assertRefused(app.upload("/api/lenders/upload", "guidelines.docx", good, Map.of("name", "X")), 415,
                "not a supported document");
        assertRefused(app.postJson("/api/lenders", "{\"name\": \"Bad Criteria\", \"criteria\": {\"programs\": "
                + "[{\"name\": \"A\", \"min_fico\": -1}]}}"), 422, "min_fico");
        assertRefused(app.postJson("/api/lenders", "{\"name\": \"Bad Criteria\", \"criteria\": {\"programs\": "
                + "[{\"name\": \"A\", \"min_amount\": 50000, \"max_amount\": 1000}]}}"), 422, "max_amount");
        assertRefused(app.postJson("/api/lenders", "{\"name\": \"Bad Criteria\", \"criteria\": {\"programs\": "
                + "[{\"name\": \"A\"}], \"excluded_states\": [\"QQ\"]}}"), 422, "QQ");
        assertRefused(app.postJson("/api/lenders", "{\"name\": \"Bad Criteria\", \"criteria\": {\"programs\": "
                + "[{\"name\": \"A\", \"min_fico\": \"high\"}]}}"), 400, "min_fico");
        assertRefused(app.postJson("/api/lenders", "{not json"), 400, "not valid JSON");
        assertRefused(app.get("/api/lenders/999999"), 404, "not found");
        assertRefused(app.get("/api/runs/not-a-uuid"), 404, "not found");

        assertThat(app.get("/api/lenders").json().path("lenders").size()).isEqualTo(lendersBefore);
    }

    private static void assertRefused(Response response, int status, String messagePart) {
        assertThat(response.status()).as("answer %s", response.json()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).contains(messagePart);
    }

    static byte[] encrypted(byte[] pdf) throws Exception {
        try (PDDocument document = Loader.loadPDF(pdf); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret",
                    new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(out);
            return out.toByteArray();
        }
    }

    @Test
    void healthReportsDatabaseEngineAndOcr() throws Exception {
        Response health = app.get("/api/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("database").path("status").asText()).isEqualTo("up");
        assertThat(health.json().path("engine").path("status").asText()).isEqualTo("up");
        assertThat(health.json().path("ocr").path("status").asText()).isIn("up", "down");
        Response ready = app.get("/api/health/ready");
        assertThat(ready.json().path("migrations").path("status").asText()).isEqualTo("up");
        assertThat(ready.status()).isEqualTo(ready.json().path("ocr").path("status").asText().equals("up") ? 200 : 503);
    }
}
