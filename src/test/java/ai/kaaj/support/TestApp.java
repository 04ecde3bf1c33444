package ai.kaaj.support;

import ai.kaaj.KaajApplication;
import ai.kaaj.config.AppConfig;
import ai.kaaj.domain.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The whole service started in this JVM on a free port, with its own database, inbox and data
 * folders, and an HTTP client that speaks to it over loopback as users do.
 */
public final class TestApp implements AutoCloseable {

    /** A response: status and parsed JSON body. */
    public record Response(int status, JsonNode json) {
    }

    private final KaajApplication app;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final Path inbox;

    private TestApp(KaajApplication app, int port, Path inbox) {
        this.app = app;
        this.base = "http://127.0.0.1:" + port;
        this.inbox = inbox;
    }

    public static TestApp start(Map<String, String> overrides) throws Exception {
        return start(KaajApplication.Role.ALL, overrides);
    }

    public static TestApp start(KaajApplication.Role role, Map<String, String> overrides) throws Exception {
        int port = freePort();
        Path work = Files.createTempDirectory("kaaj-test");
        Map<String, String> settings = new HashMap<>();
        settings.put("kaaj.http.port", Integer.toString(port));
        settings.put("database.url", overrides.containsKey("database.url") ? overrides.get("database.url")
                : TestDatabase.newDatabaseUrl());
        settings.put("kaaj.inbox.dir", work.resolve("inbox").toString());
        settings.put("kaaj.data.dir", work.resolve("data").toString());
        settings.put("kaaj.inbox.poll.ms", "200");
        settings.put("kaaj.engine.poll.ms", "200");
        settings.putAll(overrides);
        AppConfig config = AppConfig.load(Path.of("config/application.properties"), work.resolve("none.env"), Map.of())
                .with(settings);
        KaajApplication app = KaajApplication.start(role, config);
        return new TestApp(app, port, Path.of(settings.get("kaaj.inbox.dir")));
    }

    public static TestApp start() throws Exception {
        return start(Map.of());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String baseUrl() {
        return base;
    }

    public Path inbox() {
        return inbox;
    }

    public Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response postJson(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response putJson(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any method, with the API key, an optional Content-Type and an optional body. */
    public Response call(String method, String path, String apiKey, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("X-API-Key", apiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request);
    }

    /** multipart/form-data with one file part named "file" and the given text fields. */
    public Response upload(String path, String fileName, byte[] content, Map<String, String> fields) throws Exception {
        String boundary = "kaaj-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    public Response send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = response.body().isEmpty() ? null : parseOrNull(response.body());
        return new Response(response.statusCode(), json);
    }

    private static JsonNode parseOrNull(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode(body);
        }
    }

    /** Polls GET path until the JSON satisfies the condition; fails with the last answer after the timeout. */
    public JsonNode await(String path, Predicate<JsonNode> condition, Duration timeout) {
        return Awaitility.await("GET " + path).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> get(path), answer -> answer.status() == 200 && condition.test(answer.json())).json();
    }

    /**
     * Waits until a lender or application leaves its in-between states and the run it shows has ended,
     * and returns it. (The last step marks the lender or application just before the worker records its
     * run as ended: waiting for the status alone races with that.)
     */
    public JsonNode awaitStatus(String path, String... finalStatuses) throws Exception {
        java.util.List<String> wanted = java.util.List.of(finalStatuses);
        java.util.List<String> underWay = java.util.List.of("queued", "running");
        return await(path, json -> wanted.contains(json.path("status").asText())
                && !underWay.contains(json.path("run").path("status").asText()), Duration.ofSeconds(60));
    }

    /**
     * Waits until a lender's processing is over: the lender active or failed and its run recorded done
     * (update-lender marks the lender before the engine records the run), and returns the lender.
     */
    public JsonNode awaitLenderProcessed(long lenderId) throws Exception {
        return awaitStatus("/api/lenders/" + lenderId, "active", "failed");
    }

    public KaajApplication app() {
        return app;
    }

    @Override
    public void close() throws Exception {
        app.close();
    }
}
