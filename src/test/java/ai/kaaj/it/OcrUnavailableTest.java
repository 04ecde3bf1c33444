package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A machine without tesseract: scanned PDFs fail saying why and how to fix it; text PDFs still work. */
class OcrUnavailableTest {

    @Test
    void scannedPdfsFailClearlyAndTextPdfsStillWork() throws Exception {
        try (TestApp app = TestApp.start(Map.of("kaaj.ocr.tessdata", "/nonexistent/tessdata"))) {
            Response health = app.get("/api/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("ocr").path("status").asText()).isEqualTo("down");
            assertThat(health.json().path("ocr").path("detail").asText()).contains("tesseract");
            assertThat(health.json().path("status").asText()).isEqualTo("degraded");
            Response ready = app.get("/api/health/ready");
            assertThat(ready.status()).as("not ready without OCR").isEqualTo(503);
            assertThat(ready.json().path("database").path("status").asText()).isEqualTo("up");

            Response scanned = app.upload("/api/lenders/upload", "scan.pdf",
                    GuidelinePdfs.scannedPdf("Minimum FICO: 680\nTime in business: 2 years"), Map.of("name", "Scan Co"));
            JsonNode failed = app.awaitStatus("/api/lenders/" + scanned.json().path("lender_id").asLong(), "active",
                    "failed");
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("error").asText()).contains("OCR is unavailable", "apt-get install tesseract-ocr");
            assertThat(failed.path("run").path("steps").get(1).path("attempts").asInt())
                    .as("a missing OCR engine is not retried").isEqualTo(1);

            Response text = app.upload("/api/lenders/upload", "text.pdf",
                    GuidelinePdfs.textPdf("Minimum FICO: 680\nTime in business: 2 years"), Map.of("name", "Text Co"));
            JsonNode active = app.awaitStatus("/api/lenders/" + text.json().path("lender_id").asLong(), "active",
                    "failed");
            assertThat(active.path("status").asText()).isEqualTo("active");
        }
    }
}
