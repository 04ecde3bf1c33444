package ai.kaaj.it;

import ai.kaaj.support.TestApp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With KAAJ_API_KEY set, every API call needs it; health stays open for probes. */
class ApiKeyTest {

    @Test
    void callsWithoutTheKeyAreRefused() throws Exception {
        try (TestApp app = TestApp.start(Map.of("kaaj.api.key", "s3cret-key"))) {
            TestApp.Response missing = app.get("/api/lenders");
            assertThat(missing.status()).isEqualTo(401);
            assertThat(missing.json().path("error").asText()).contains("API key is required");

            TestApp.Response wrong = app.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/lenders"))
                    .header("X-API-Key", "guess").GET());
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().path("error").asText()).contains("not valid");

            assertThat(app.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/lenders"))
                    .header("X-API-Key", "s3cret-key").GET()).status()).isEqualTo(200);
            assertThat(app.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/lenders"))
                    .header("Authorization", "Bearer s3cret-key").GET()).status()).isEqualTo(200);
            assertThat(app.get("/api/health").status()).isEqualTo(200);
        }
    }
}
