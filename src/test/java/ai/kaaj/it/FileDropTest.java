package ai.kaaj.it;

import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Files dropped into the inbox: stored and processed, or moved aside with the reason beside them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileDropTest {

    private TestApp app;

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    /** Written under a temporary name and renamed, as the README tells writers to, so no half file is read. */
    private Path drop(String folder, String fileName, byte[] content) throws Exception {
        Path dir = Files.createDirectories(app.inbox().resolve(folder));
        Path temp = dir.resolve(".writing-" + fileName);
        Files.write(temp, content);
        return Files.move(temp, dir.resolve(fileName));
    }

    private static void awaitFile(Path file) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(file).as("expected %s", file).exists());
    }

    @Test
    void aDroppedPdfIsNamedByItsSidecarAndProcessed() throws Exception {
        Path dir = Files.createDirectories(app.inbox().resolve("lenders"));
        Files.writeString(dir.resolve("sidecar-guidelines.pdf.json"), "{\"name\": \"Sidecar Funding LLC\"}");
        drop("lenders", "sidecar-guidelines.pdf", GuidelinePdfs.textPdf("Minimum FICO: 620\nMaximum term: 72 months"));

        awaitFile(dir.resolve(".done/sidecar-guidelines.pdf"));
        assertThat(dir.resolve(".done/sidecar-guidelines.pdf.json")).exists();
        JsonNode lenders = app.await("/api/lenders?status=active",
                json -> json.path("lenders").findValuesAsText("name").contains("Sidecar Funding LLC"),
                Duration.ofSeconds(30));
        assertThat(lenders.path("lenders").findValuesAsText("name")).contains("Sidecar Funding LLC");
    }

    @Test
    void aDroppedPdfWithoutSidecarIsNamedAfterTheFile() throws Exception {
        drop("lenders", "blue_ridge-capital.pdf", GuidelinePdfs.textPdf("Minimum FICO: 700"));
        app.await("/api/lenders", json -> json.path("lenders").findValuesAsText("name").contains("blue ridge capital"),
                Duration.ofSeconds(30));
    }

    @Test
    void aFileNameDroppedAgainIsStoredAgain() throws Exception {
        Path done = app.inbox().resolve("lenders/.done/again-capital.pdf");
        drop("lenders", "again-capital.pdf", GuidelinePdfs.textPdf("Minimum FICO: 640"));
        awaitFile(done);
        // the first file's run ends before the second is dropped: two runs of one lender at once may end
        // in either order, and this test is about the name, not about that race
        app.await("/api/lenders", json -> json.path("lenders").findParents("name").stream().anyMatch(entry ->
                entry.path("name").asText().equals("again capital") && entry.path("criteria_version").asInt() == 1),
                Duration.ofSeconds(60));
        Files.delete(app.inbox().resolve("lenders/.done/again-capital.pdf"));
        drop("lenders", "again-capital.pdf", GuidelinePdfs.textPdf("Minimum FICO: 690"));
        awaitFile(done);
        JsonNode lender = app.await("/api/lenders", json -> json.path("lenders").findValuesAsText("name")
                .contains("again capital"), Duration.ofSeconds(30));
        long id = -1;
        for (JsonNode entry : lender.path("lenders")) {
            if (entry.path("name").asText().equals("again capital")) {
                id = entry.path("lender_id").asLong();
            }
        }
        JsonNode updated = app.await("/api/lenders/" + id, json -> json.path("criteria_version").asInt() == 2,
                Duration.ofSeconds(30));
        assertThat(updated.path("criteria").path("programs").get(0).path("min_fico").asInt()).isEqualTo(690);
    }

    @Test
    void aSecondFileOfTheSameNameIsNotLostWhenTheFirstIsStillInDone() throws Exception {
        Path done = app.inbox().resolve("lenders/.done/twice-named.pdf");
        drop("lenders", "twice-named.pdf", GuidelinePdfs.textPdf("Minimum FICO: 610"));
        awaitFile(done);
        drop("lenders", "twice-named.pdf", GuidelinePdfs.textPdf("Minimum FICO: 710"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(app.inbox().resolve("lenders/twice-named.pdf")).as("picked up").doesNotExist());
        app.await("/api/lenders", json -> {
            for (JsonNode entry : json.path("lenders")) {
                if (entry.path("name").asText().equals("twice named") && entry.path("criteria_version").asInt() == 2) {
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(30));
    }

    @Test
    void aBadDropMovesToErrorWithTheReasonBesideIt() throws Exception {
        drop("lenders", "renamed.pdf", "this is a word document, honest".getBytes());
        Path error = app.inbox().resolve("lenders/.error/renamed.pdf.error.txt");
        awaitFile(error);
        // The note is written while the exchange fails; the file consumer moves the file just after.
        awaitFile(app.inbox().resolve("lenders/.error/renamed.pdf"));
        assertThat(Files.readString(error)).contains("renamed.pdf", "not a PDF");
        assertThat(app.inbox().resolve("lenders/renamed.pdf")).doesNotExist();
    }
}
