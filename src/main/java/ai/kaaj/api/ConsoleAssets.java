package ai.kaaj.api;

import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web console's static files, served from the jar (src/main/resources/console): index.html at /
 * and its scripts and styles under /console/. No secret is ever in them: the console asks for the API
 * key in the browser and sends it as a header.
 */
public final class ConsoleAssets {

    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");
    // everything the page loads comes from this server (page images arrive as blobs: they need the API
    // key header); no inline script, no framing by other sites
    private static final String POLICY = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public void index(Exchange exchange) throws IOException {
        serve(exchange, "index.html");
    }

    /** /console/{file}: the path's file name must be a plain one (no folders, no dots but the extension). */
    public void file(Exchange exchange) throws IOException {
        serve(exchange, exchange.getMessage().getHeader("file", String.class));
    }

    private void serve(Exchange exchange, String name) throws IOException {
        byte[] content = name != null && FILE_NAME.matcher(name).matches() ? load(name) : null;
        var message = exchange.getMessage();
        message.removeHeaders("*");
        if (content == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody("not found");
            return;
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        message.setHeader("Content-Security-Policy", POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setBody(content);
    }

    private byte[] load(String name) throws IOException {
        byte[] cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                return null;
            }
            byte[] content = in.readAllBytes();
            cache.put(name, content);
            return content;
        }
    }
}
