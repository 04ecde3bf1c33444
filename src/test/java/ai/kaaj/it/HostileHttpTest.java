package ai.kaaj.it;

import ai.kaaj.domain.Json;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.support.TestApp;
import ai.kaaj.support.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side attacked as a hostile client would: stalled and abandoned uploads over raw sockets,
 * bodies without the key, keys in the query string, unknown paths and methods, JSON that is not what
 * it claims, and 50 identical uploads at once. After each, the service answers JSON with the right
 * status, keeps running, and holds no temp file or file descriptor it did not hold before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileHttpTest {

    private static final String KEY = "hostile-test-key";
    private static final int IDLE_SECONDS = 1;

    private String databaseUrl;
    private TestApp app;
    private Path uploads;
    private int port;

    @BeforeAll
    void start() throws Exception {
        databaseUrl = TestDatabase.newDatabaseUrl();
        app = TestApp.start(Map.of("kaaj.api.key", KEY, "database.url", databaseUrl,
                "kaaj.http.idle.timeout.seconds", Integer.toString(IDLE_SECONDS)));
        uploads = app.inbox().resolveSibling("data").resolve("uploads");
        port = URI.create(app.baseUrl()).getPort();
    }

    @AfterAll
    void stop() throws Exception {
        app.close();
    }

    // ---- stalled and abandoned bodies ----------------------------------------------------------

    @Test
    void stalledUploadsAreAnsweredClosedAndLeaveNoFileOrDescriptor() throws Exception {
        assertThat(call("GET", "/api/lenders", null, null).status()).isEqualTo(200);
        long descriptorsBefore = openDescriptors();

        int uploadsAtOnce = 20;
        List<Socket> sockets = new ArrayList<>();
        List<Future<Long>> closedAfterMs = new ArrayList<>();
        ExecutorService readers = Executors.newFixedThreadPool(uploadsAtOnce);
        try {
            for (int i = 0; i < uploadsAtOnce; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(30_000);
                sendUploadWithoutClosingBoundary(socket, "stalled-" + i + ".pdf");
                long lastByteSent = System.nanoTime();
                sockets.add(socket);
                closedAfterMs.add(readers.submit(() -> {
                    String answer = readUntilClosed(socket.getInputStream());
                    long closedAfter = (System.nanoTime() - lastByteSent) / 1_000_000;
                    assertThat(answer).startsWith("HTTP/1.1 408");
                    JsonNode error = Json.MAPPER.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
                    assertThat(error.path("error").asText()).contains("stopped arriving", IDLE_SECONDS + " s");
                    return closedAfter;
                }));
            }
            await("the partial uploads are being written under " + uploads, () -> filesIn(uploads) > 0);
            List<Long> times = new ArrayList<>();
            for (Future<Long> closed : closedAfterMs) {
                times.add(closed.get());
            }
            System.out.printf("stalled upload -> connection closed: idle timeout %d s; %d uploads closed %d..%d ms "
                    + "after their last byte%n", IDLE_SECONDS, uploadsAtOnce, times.stream().min(Long::compare)
                    .orElseThrow(), times.stream().max(Long::compare).orElseThrow());
        } finally {
            readers.shutdownNow();
            for (Socket socket : sockets) {
                socket.close();
            }
        }

        await("the partial uploads are deleted", () -> filesIn(uploads) == 0);
        await("no descriptor points into the upload folder", () -> descriptorsInto(uploads) == 0);
        await("the open descriptors return to " + descriptorsBefore, () -> openDescriptors() <= descriptorsBefore);
        assertThat(app.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void anUploadWhoseClientGoesAwayIsDeletedAtOnce() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            sendUploadWithoutClosingBoundary(socket, "abandoned.pdf");
            await("the partial upload is being written", () -> filesIn(uploads) > 0);
        }
        await("the abandoned upload is deleted", () -> filesIn(uploads) == 0);
        await("no descriptor points into the upload folder", () -> descriptorsInto(uploads) == 0);
    }

    @Test
    void theKeyIsCheckedBeforeTheBodyIsRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            // headers announce 20 MB; not one byte of the body is sent
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/lenders/upload HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 20000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 401");
            assertThat(answer).contains("API key is required");
        }
        assertThat(filesIn(uploads)).isZero();
    }

    @Test
    void theKeyIsTakenFromHeadersOnly() throws Exception {
        for (String query : List.of("?X-API-Key=" + KEY, "?api_key=" + KEY, "?Authorization=Bearer%20" + KEY)) {
            TestApp.Response response = app.get("/api/lenders" + query);
            assertThat(response.status()).as(query).isEqualTo(401);
            assertThat(response.json().path("error").asText()).contains("API key is required");
        }
        assertThat(call("GET", "/api/lenders", null, null).status()).isEqualTo(200);
    }

    // ---- every /api answer is JSON ---------------------------------------------------------------

    @Test
    void unknownPathsAndMethodsAnswerJson() throws Exception {
        TestApp.Response unknown = call("GET", "/api/no-such-thing", null, null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).contains("/api/no-such-thing");
        assertThat(call("GET", "/api", null, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/applications/1/nothing-here", null, null).json().path("error").asText())
                .contains("no endpoint");

        HttpRequest.Builder delete = HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/lenders"))
                .header("X-API-Key", KEY).DELETE();
        var response = java.net.http.HttpClient.newHttpClient().send(delete.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(Json.MAPPER.readTree(response.body()).path("error").asText())
                .contains("DELETE is not allowed on /api/lenders", "GET or POST");

        TestApp.Response put = call("PUT", "/api/lenders/7", "application/json", "{}");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json().path("error").asText()).contains("use GET");
    }

    @Test
    void anInternalErrorShowsAnIdNotItsSqlOrClass() throws Exception {
        try (Connection c = DriverManager.getConnection(databaseUrl); Statement s = c.createStatement()) {
            s.execute("alter table lenders rename to lenders_hidden");
            try {
                TestApp.Response failed = call("GET", "/api/lenders", null, null);
                assertThat(failed.status()).isEqualTo(500);
                String error = failed.json().path("error").asText();
                assertThat(error).containsPattern("error id [0-9a-f]{8}");
                assertThat(failed.json().toString()).doesNotContain("lenders", "relation", "SQL", "Exception", "org.");
            } finally {
                s.execute("alter table lenders_hidden rename to lenders");
            }
        }
    }

    // ---- JSON bodies --------------------------------------------------------------------------------

    @Test
    void controlCharactersAreRefusedNamingTheField() throws Exception {
        TestApp.Response nul = call("POST", "/api/applications", "application/json",
                "{\"business_name\": \"Acme\\u0000 LLC\", \"fico\": 700}");
        assertThat(nul.status()).isEqualTo(422);
        assertThat(nul.json().path("error").asText()).contains("business_name", "U+0000");
        assertThat(nul.json().toString()).doesNotContain("SQL", "Exception", "jsonb");

        TestApp.Response bell = call("POST", "/api/lenders", "application/json",
                "{\"name\": \"Bell\", \"criteria\": {\"programs\": [{\"name\": \"A\\u0007\"}]}}");
        assertThat(bell.status()).isEqualTo(422);
        assertThat(bell.json().path("error").asText()).contains("criteria.programs[0].name", "U+0007");
    }

    @Test
    void numbersMustBeNumbers() throws Exception {
        for (String value : List.of("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"35\"")) {
            TestApp.Response response = call("POST", "/api/applications", "application/json",
                    "{\"business_name\": \"Acme\", \"down_payment_pct\": " + value + "}");
            assertThat(response.status()).as(value).isEqualTo(400);
            assertThat(response.json().path("error").asText()).as(value)
                    .contains("down_payment_pct", "must be a finite number").doesNotContain("java.", "Double");
        }
        TestApp.Response fico = call("POST", "/api/applications", "application/json",
                "{\"business_name\": \"Acme\", \"fico\": \"700\"}");
        assertThat(fico.status()).isEqualTo(400);
        assertThat(fico.json().path("error").asText()).contains("fico", "whole number").doesNotContain("Integer");

        TestApp.Response criteria = call("POST", "/api/lenders", "application/json",
                "{\"name\": \"NaN Capital\", \"criteria\": {\"programs\": [{\"name\": \"A\", "
                        + "\"min_down_payment_pct\": \"NaN\"}]}}");
        assertThat(criteria.status()).isEqualTo(400);
        assertThat(criteria.json().path("error").asText()).contains("programs[0].min_down_payment_pct");
        assertThat(call("GET", "/api/lenders", null, null).json().path("lenders").findValuesAsText("name"))
                .doesNotContain("NaN Capital");
    }

    @Test
    void oneJsonValuePerBody() throws Exception {
        for (String body : List.of("{\"business_name\": \"Acme\"} trailing", "{\"business_name\": \"Acme\"}{}",
                "{\"business_name\": \"Acme\"}]")) {
            TestApp.Response response = call("POST", "/api/applications", "application/json", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().path("error").asText()).as(body).contains("JSON");
        }
        assertThat(call("GET", "/api/applications", null, null).json().path("applications")).isEmpty();
    }

    @Test
    void bodiesOverTheCapsAreRefusedNamingTheField() throws Exception {
        TestApp.Response longName = call("POST", "/api/applications", "application/json",
                "{\"business_name\": \"" + "A".repeat(5000) + "\"}");
        assertThat(longName.status()).isEqualTo(422);
        assertThat(longName.json().path("error").asText()).contains("business_name", "5000", "limit");

        String states = Stream.generate(() -> "\"TX\"").limit(600).reduce((a, b) -> a + "," + b).orElseThrow();
        TestApp.Response longList = call("POST", "/api/lenders", "application/json",
                "{\"name\": \"Many States\", \"criteria\": {\"programs\": [{\"name\": \"A\"}], "
                        + "\"excluded_states\": [" + states + "]}}");
        assertThat(longList.status()).isEqualTo(422);
        assertThat(longList.json().path("error").asText()).contains("criteria.excluded_states", "600 items");

        String programs = Stream.generate(() -> "{\"name\": \"P\"}").limit(51).reduce((a, b) -> a + "," + b)
                .orElseThrow();
        TestApp.Response manyPrograms = call("POST", "/api/lenders", "application/json",
                "{\"name\": \"Many Programs\", \"criteria\": {\"programs\": [" + programs + "]}}");
        assertThat(manyPrograms.status()).isEqualTo(422);
        assertThat(manyPrograms.json().path("error").asText()).contains("51 programs", "limit is 50");

        TestApp.Response deep = call("POST", "/api/applications", "application/json",
                "{\"business_name\": " + "[".repeat(20) + "]".repeat(20) + "}");
        assertThat(deep.status()).isEqualTo(400);
        assertThat(deep.json().path("error").asText()).contains("business_name", "nested");
    }

    // ---- concurrency --------------------------------------------------------------------------------

    @Test
    void fiftyIdenticalUploadsAtOnceGiveOneDocument() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf("Minimum FICO: 650\nMaximum term: 60 months");
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Callable<TestApp.Response>> uploadsAtOnce = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                uploadsAtOnce.add(() -> app.send(multipart("/api/lenders/upload", "concurrent.pdf", pdf,
                        "Concurrent Capital")));
            }
            List<TestApp.Response> responses = new ArrayList<>();
            for (Future<TestApp.Response> response : clients.invokeAll(uploadsAtOnce)) {
                responses.add(response.get());
            }
            assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.json().toString()).isIn(200, 202));
            assertThat(responses.stream().filter(r -> r.status() == 202)).hasSize(1);
            assertThat(responses.stream().filter(r -> r.json().path("duplicate").asBoolean())).hasSize(49);
            assertThat(responses.stream().map(r -> r.json().path("document_id").asLong()).distinct()).hasSize(1);
        } finally {
            clients.shutdownNow();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private TestApp.Response call(String method, String path, String contentType, String body) throws Exception {
        return app.call(method, path, KEY, contentType, body);
    }

    private HttpRequest.Builder multipart(String path, String fileName, byte[] content, String name)
            throws IOException {
        String boundary = "kaaj-concurrent";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("X-API-Key", KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    /** A whole multipart upload but for its closing boundary, with a Content-Length that promises it. */
    private static void sendUploadWithoutClosingBoundary(Socket socket, String fileName) throws IOException {
        String boundary = "stall-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] content = GuidelinePdfs.textPdf("Minimum FICO: 600");
        byte[] closing = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/lenders/upload HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + KEY
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                + (head.length + content.length + closing.length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(head);
        out.write(content);
        out.flush();
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static long filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long descriptorsInto(Path dir) throws IOException {
        Path real = dir.toAbsolutePath().normalize();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(real);
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(condition);
    }
}
