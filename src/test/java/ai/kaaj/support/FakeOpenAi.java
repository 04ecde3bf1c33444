package ai.kaaj.support;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An OpenAI chat-completions server on loopback for tests: POST /v1/chat/completions with a bearer key.
 * It records every request's JSON and answers from a script of replies set per test (then from the
 * default answerer), in the wire format OpenAI uses, usage counts included.
 */
public final class FakeOpenAi implements AutoCloseable {

    public static final String KEY = "sk-test-2f9c1e7d5b3a4c6e8f0a1b2c3d4e5f60";

    /** One HTTP answer: status, headers, body, after a delay. */
    public record Reply(int status, Map<String, String> headers, String body, Duration delay) {

        public static Reply answer(String content, int promptTokens, int completionTokens) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("id", "chatcmpl-test");
            body.put("object", "chat.completion");
            body.put("created", 1_764_000_000L);
            body.put("model", "test-model");
            ObjectNode choice = body.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            body.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
            return new Reply(200, Map.of(), body.toString(), Duration.ZERO);
        }

        public static Reply error(int status, String message, Map<String, String> headers) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.putObject("error").put("message", message).put("type", "test_error");
            return new Reply(status, headers, body.toString(), Duration.ZERO);
        }

        public Reply after(Duration wait) {
            return new Reply(status, headers, body, wait);
        }
    }

    private final HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();
    private final Deque<Reply> script = new ArrayDeque<>();
    private volatile Function<JsonNode, Reply> answerer = request -> Reply.error(500, "no answer scripted", Map.of());

    public FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Replies for the next requests, in order; after them the answerer answers. */
    public synchronized void script(Reply... replies) {
        script.addAll(List.of(replies));
    }

    public void answerWith(Function<JsonNode, Reply> answerer) {
        this.answerer = answerer;
    }

    public synchronized void reset() {
        script.clear();
        requests.clear();
        requestTimes.clear();
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** When each request arrived (System.nanoTime), in order. */
    public List<Long> requestTimes() {
        return List.copyOf(requestTimes);
    }

    /** The text of the request's last user message: the document part or the correction. */
    public static String lastUserMessage(JsonNode request) {
        String last = null;
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                last = message.path("content").asText();
            }
        }
        return last;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, Reply.error(401, "Incorrect API key provided", Map.of()));
                return;
            }
            JsonNode request = Json.MAPPER.readTree(raw);
            Reply reply;
            synchronized (this) {
                requests.add(request);
                requestTimes.add(System.nanoTime());
                reply = script.isEmpty() ? null : script.poll();
            }
            if (reply == null) {
                reply = answerer.apply(request);
            }
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            send(exchange, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
