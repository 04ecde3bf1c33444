package ai.kaaj.it;

import ai.kaaj.support.TcpProxy;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestApp.Response;
import ai.kaaj.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The database goes away for 10 s and comes back: clear 503s meanwhile, then work carries on. */
class DatabaseOutageTest {

    private static final byte[] GUIDELINES = "Minimum FICO: 650\nMaximum term: 48 months\n"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void uploadsDuringAnOutageGet503AndWorkResumesAfterIt() throws Exception {
        String url = TestDatabase.newDatabaseUrl();
        URI target = URI.create(url.substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort());
             TestApp app = TestApp.start(Map.of("database.url",
                     url.replace(":" + target.getPort() + "/", ":" + proxy.port() + "/")))) {
            Response before = app.upload("/api/lenders/upload", "before.txt", GUIDELINES, Map.of("name", "Before"));
            app.awaitStatus("/api/lenders/" + before.json().path("lender_id").asLong(), "active");

            proxy.cut();
            long outageStarted = System.nanoTime();
            long callStarted = System.nanoTime();
            Response during = app.upload("/api/lenders/upload", "during.txt", GUIDELINES, Map.of("name", "During"));
            long callMillis = (System.nanoTime() - callStarted) / 1_000_000;
            assertThat(during.status()).isEqualTo(503);
            assertThat(during.json().path("error").asText()).contains("database is unavailable");
            assertThat(callMillis).as("answered, not hung").isLessThan(10_000);
            Response health = app.get("/api/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().path("database").path("status").asText()).isEqualTo("down");
            assertThat(app.get("/api/health/ready").status()).isEqualTo(503);

            long remaining = 10_000 - (System.nanoTime() - outageStarted) / 1_000_000;
            if (remaining > 0) {
                Thread.sleep(remaining);
            }
            proxy.restore();

            Response after = await("an upload accepted once the database is back").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> app.upload("/api/lenders/upload", "after.txt", GUIDELINES, Map.of("name", "After")),
                            answer -> answer.status() == 202);
            app.awaitStatus("/api/lenders/" + after.json().path("lender_id").asLong(), "active");

            assertThat(app.get("/api/lenders").json().path("lenders").findValuesAsText("name"))
                    .as("nothing half-written by the refused upload").containsExactlyInAnyOrder("Before", "After");
        }
    }
}
