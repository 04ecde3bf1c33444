package ai.kaaj.config;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * The claims of a Hatchet API token (a JWT). Clients read them without checking the signature (the
 * engine does): sub is the tenant, grpc_broadcast_address the engine's gRPC address, exp the expiry.
 */
public record HatchetToken(String tenantId, String grpcAddress, String serverUrl, Instant expiresAt) {

    public static HatchetToken parse(String token, Clock clock) {
        String[] parts = token.trim().split("\\.");
        if (parts.length != 3 || !parts[0].startsWith("ey")) {
            throw invalid("it is not a JWT (three base64url parts separated by dots)");
        }
        JsonNode claims;
        try {
            claims = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalid("its claims are not base64url-encoded JSON");
        }
        if (claims == null || !claims.isObject()) {
            throw invalid("its claims are not a JSON object");
        }
        String tenant = text(claims, "sub");
        if (tenant == null) {
            throw invalid("it has no sub (tenant) claim");
        }
        Instant expiresAt = claims.path("exp").canConvertToLong() ? Instant.ofEpochSecond(claims.path("exp").asLong())
                : null;
        if (expiresAt != null && expiresAt.isBefore(clock.instant())) {
            throw invalid("it expired at " + expiresAt + "; create a new API token in the Hatchet dashboard");
        }
        return new HatchetToken(tenant, text(claims, "grpc_broadcast_address"), text(claims, "server_url"), expiresAt);
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }

    private static AppConfig.ConfigException invalid(String why) {
        return new AppConfig.ConfigException("HATCHET_CLIENT_TOKEN is not a valid Hatchet token: " + why);
    }
}
