package ai.kaaj.api;

import ai.kaaj.ingest.RejectedInput;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * When KAAJ_API_KEY is set, every API call must carry it in a header, X-API-Key or Authorization: Bearer
 * (HttpGate reads the request's headers, never its query string).
 */
public final class ApiKeyCheck {

    private final String apiKey;

    public ApiKeyCheck(String apiKey) {
        this.apiKey = apiKey;
    }

    public void check(String apiKeyHeader, String authorization) {
        if (apiKey == null) {
            return;
        }
        String presented = apiKeyHeader;
        if (presented == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null) {
            throw new RejectedInput(401, "an API key is required: send it as X-API-Key or Authorization: Bearer");
        }
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
            throw new RejectedInput(401, "the API key is not valid");
        }
    }
}
