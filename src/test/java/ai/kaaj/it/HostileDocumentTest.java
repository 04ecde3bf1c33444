package ai.kaaj.it;

import ai.kaaj.KaajApplication;
import ai.kaaj.documents.HostilePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestDatabase;
import ai.kaaj.support.WorkerProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documents that took the whole service down (issue 15), uploaded as a user would: each ends
 * failed with a reason the user understands, or active when it is a genuine document, and the worker
 * (a real process with the production JVM options: 256 MB heap, exit on OutOfMemoryError) lives on.
 */
class HostileDocumentTest {

    private static final String NO_CRITERIA = "no credit criteria could be read from the document";

    @Test
    void hostileAndHeavyLenderDocumentsEndWithTheirReasonAndTheWorkerLivesOn() throws Exception {
        Ocrs.assumeTesseractInstalled();
        String url = TestDatabase.newDatabaseUrl();
        Path logs = Files.createTempDirectory("kaaj-hostile");
        Map<String, byte[]> documents = new LinkedHashMap<>();
        documents.put("glyphs.pdf", HostilePdfs.millionGlyphs());
        documents.put("huge-image.pdf", HostilePdfs.hugeImage());
        documents.put("huge-page.pdf", HostilePdfs.hugePage());
        documents.put("one-line.pdf", HostilePdfs.fiveMegabyteLine());
        documents.put("scan-600dpi.pdf", HostilePdfs.colourScan600Dpi(WorkerFaultTest.SCANNED.replace('\f', '\n')));
        documents.put("digits.txt", "1".repeat(200_000).getBytes(StandardCharsets.UTF_8));
        assertThat(documents.get("glyphs.pdf").length).as("a small file").isLessThan(5_000);
        assertThat(documents.get("huge-image.pdf").length).isLessThan(2_000);
        assertThat(documents.get("huge-page.pdf").length).isLessThan(1_000);
        assertThat(documents.get("one-line.pdf").length).isGreaterThan(5_000_000);

        try (TestApp api = TestApp.start(KaajApplication.Role.API, Map.of("database.url", url));
             WorkerProcess worker = WorkerProcess.start(1, url, logs, Map.of("KAAJ_WORKER_SLOTS", "2"))) {
            Map<String, Long> lenders = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> document : documents.entrySet()) {
                TestApp.Response response = api.upload("/api/lenders/upload", document.getKey(), document.getValue(),
                        Map.of("name", "Lender of " + document.getKey()));
                assertThat(response.status()).as("%s: %s", document.getKey(), response.json()).isEqualTo(202);
                lenders.put(document.getKey(), response.json().path("lender_id").asLong());
            }
            Map<String, JsonNode> ended = new LinkedHashMap<>();
            for (Map.Entry<String, Long> lender : lenders.entrySet()) {
                ended.put(lender.getKey(), api.await("/api/lenders/" + lender.getValue(),
                        json -> json.path("status").asText().matches("active|failed"), Duration.ofSeconds(120)));
            }

            assertFailed(ended.get("glyphs.pdf"), "extract-text: page 1 of glyphs.pdf holds more than 50,000 "
                    + "characters; the limit is 50,000 a page");
            assertFailed(ended.get("one-line.pdf"), "extract-text: page 1 of one-line.pdf holds more than 50,000 "
                    + "characters; the limit is 50,000 a page");
            assertFailed(ended.get("huge-page.pdf"), "extract-text: page 1 of huge-page.pdf renders at 20833×20833 px "
                    + "for OCR; the limit is 60 megapixels");
            // the image is decoded at the page's 300 dpi, not 20000² px: read, and found blank; what a document
            // says (or does not) never fails its lender: it waits for review with the reason
            assertAwaitsReview(ended.get("huge-image.pdf"), NO_CRITERIA);
            assertAwaitsReview(ended.get("digits.txt"), NO_CRITERIA);
            JsonNode scan = ended.get("scan-600dpi.pdf");
            assertThat(scan.path("status").asText()).as("%s", scan).isEqualTo("active");
            assertThat(scan.path("document").path("pages").get(0).path("method").asText()).isEqualTo("ocr");
            assertThat(scan.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(670);

            assertThat(worker.isAlive()).as("the worker process lives on").isTrue();
            assertThat(worker.output()).doesNotContain("OutOfMemoryError");
            assertThat(worker.children()).as("no document reader is left running").isEmpty();
            assertThat(api.get("/api/health").status()).isEqualTo(200);
        }
    }

    @Test
    void hostilePdfApplicationsFailWithTheirReasonAndTheServiceAnswers() throws Exception {
        Ocrs.assumeTesseractInstalled();
        try (TestApp app = TestApp.start()) {
            long glyphs = uploadApplication(app, "glyphs-application.pdf", HostilePdfs.millionGlyphs());
            long page = uploadApplication(app, "huge-page-application.pdf", HostilePdfs.hugePage());

            JsonNode first = app.awaitStatus("/api/applications/" + glyphs, "matched", "failed");
            assertThat(first.path("status").asText()).isEqualTo("failed");
            assertThat(first.path("error").asText()).isEqualTo("prepare-matching: page 1 of glyphs-application.pdf "
                    + "holds more than 50,000 characters; the limit is 50,000 a page");
            JsonNode second = app.awaitStatus("/api/applications/" + page, "matched", "failed");
            assertThat(second.path("error").asText()).isEqualTo("prepare-matching: page 1 of "
                    + "huge-page-application.pdf renders at 20833×20833 px for OCR; the limit is 60 megapixels");
            assertThat(app.get("/api/health").status()).isEqualTo(200);
            assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                    .as("no document reader is left running").isEmpty();
        }
    }

    private static long uploadApplication(TestApp app, String fileName, byte[] pdf) throws Exception {
        TestApp.Response response = app.upload("/api/applications/upload", fileName, pdf, Map.of());
        assertThat(response.status()).as("%s", response.json()).isEqualTo(202);
        return response.json().path("application_id").asLong();
    }

    private static void assertAwaitsReview(JsonNode lender, String warning) {
        assertThat(lender.path("status").asText()).as("%s", lender).isEqualTo("active");
        assertThat(lender.path("review_required").asBoolean()).as("%s", lender).isTrue();
        assertThat(lender.path("warnings").get(0).asText()).as("%s", lender).startsWith(warning);
    }

    private static void assertFailed(JsonNode lender, String reason) {
        assertThat(lender.path("status").asText()).as("%s", lender).isEqualTo("failed");
        assertThat(lender.path("error").asText()).as("%s", lender).startsWith(reason);
    }
}
