package ai.kaaj.it;

import ai.kaaj.domain.Json;
import ai.kaaj.support.TestApp;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST contract as clients see it: the OpenAPI document at /api/openapi.json (open without the API key)
 * describes every operation the README shows with curl, and a request the contract refuses is answered
 * with the API's JSON error naming the problem.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestContractTest {

    private static final String KEY = "contract-test-key";
    private static final Pattern CURL = Pattern.compile("curl (.*?)'?(?:https?://)?localhost:\\d+(/api/[^\\s'?`]*)");

    private TestApp app;

    @BeforeAll
    void start() throws Exception {
        app = TestApp.start(Map.of("kaaj.api.key", KEY));
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    @Test
    void theOpenApiDocumentListsEveryOperationTheReadmeShows() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(app.baseUrl() + "/api/openapi.json")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("no API key needed").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode document = Json.MAPPER.readTree(response.body());
        assertThat(document.path("openapi").asText()).startsWith("3.");
        assertThat(document.path("info").path("title").asText()).isEqualTo("Kaaj lending pipelines API");

        List<String> operations = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        System.out.printf("%s: %d bytes, %d operations%n", "/api/openapi.json", response.body().length(),
                operations.size());

        List<String> documented = readmeOperations();
        assertThat(documented).hasSizeGreaterThan(20);
        for (String call : documented) {
            String method = call.substring(0, call.indexOf(' '));
            String path = call.substring(call.indexOf(' ') + 1);
            assertThat(operations).as("README: curl %s", call).anySatisfy(operation -> {
                assertThat(operation).startsWith(method + " ");
                assertThat(path).matches(operation.substring(method.length() + 1).replaceAll("\\{[^}]+}", "[^/]+"));
            });
        }

        // every operation says what it does and what it answers
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            assertThat(path.getKey()).startsWith("/api/");
            path.getValue().fields().forEachRemaining(operation -> {
                assertThat(operation.getValue().path("summary").asText()).as(path.getKey()).isNotBlank();
                assertThat(operation.getValue().path("responses").size()).as(path.getKey()).isPositive();
            });
        }
        JsonNode diff = document.path("paths").path("/api/lenders/{id}/diff").path("get");
        assertThat(diff.path("parameters").findValuesAsText("name")).containsExactly("id", "from", "to");
        JsonNode upload = document.path("paths").path("/api/lenders/upload").path("post");
        assertThat(upload.path("operationId").asText()).isEqualTo("upload-lender");
        assertThat(upload.path("requestBody").path("content").has("multipart/form-data")).isTrue();
        assertThat(upload.path("responses").has("202")).isTrue();
        JsonNode statuses = document.path("paths").path("/api/applications").path("get").path("parameters").get(0);
        assertThat(statuses.path("schema").path("enum").toString())
                .isEqualTo("[\"pending\",\"matching\",\"matched\",\"failed\"]");
    }

    @Test
    void requestsTheContractRefusesGetAJsonErrorNamingTheProblem() throws Exception {
        TestApp.Response status = call("GET", "/api/applications?status=approved", null, null);
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().path("error").asText())
                .isEqualTo("status 'approved' is not one of pending, matching, matched, failed");

        TestApp.Response missing = call("GET", "/api/lenders/1/diff?from=1", null, null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").asText()).isEqualTo("the query parameter to is required");
        TestApp.Response empty = call("GET", "/api/lenders/1/diff?from=&to=", null, null);
        assertThat(empty.json().path("error").asText()).isEqualTo("the query parameters from and to are required");

        TestApp.Response text = call("POST", "/api/applications", "text/plain", "{\"business_name\": \"Acme\"}");
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.json().path("error").asText()).contains("Content-Type: application/json", "got text/plain");
        assertThat(call("GET", "/api/applications", null, null).json().path("applications")).isEmpty();

        // the refusal is JSON, and echoes none of the request's headers
        HttpResponse<String> review = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(app.baseUrl() + "/api/lenders?review=soon")).header("X-API-Key", KEY)
                .header("X-Trace", "abc").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(review.statusCode()).isEqualTo(400);
        assertThat(review.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(review.headers().firstValue("X-Trace")).isEmpty();
        assertThat(Json.MAPPER.readTree(review.body()).path("error").asText()).isEqualTo("review 'soon' is not 'required'");
    }

    /** "METHOD /api/path" of every curl call of the API in the README (-X, else -F or -d post, else get). */
    private static List<String> readmeOperations() throws Exception {
        List<String> calls = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher curl = CURL.matcher(line);
            if (!curl.find() || curl.group(2).equals("/api/openapi.json")) {
                continue;
            }
            String options = curl.group(1);
            Matcher explicit = Pattern.compile("-X (\\w+)").matcher(options);
            String method = explicit.find() ? explicit.group(1)
                    : options.contains("-F ") || line.contains(" -d ") ? "POST" : "GET";
            calls.add(method + " " + curl.group(2));
        }
        return calls;
    }

    private TestApp.Response call(String method, String path, String contentType, String body) throws Exception {
        return app.call(method, path, KEY, contentType, body);
    }
}
