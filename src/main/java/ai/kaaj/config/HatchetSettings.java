package ai.kaaj.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How to reach Hatchet, from the usual Hatchet client variables. Absent (null in Settings) when
 * HATCHET_CLIENT_TOKEN is unset: the embedded engine runs the workflows then.
 * hostPort comes from HATCHET_CLIENT_HOST_PORT, else from the token's grpc_broadcast_address claim.
 */
public record HatchetSettings(
        String token,
        HatchetToken claims,
        String hostPort,
        boolean tls,
        Path rootCaFile,
        String serverName,
        String namespace,
        String workerName,
        StartMode startMode) {

    /** How the API starts a run in Hatchet: by triggering the workflow, or by pushing its event. */
    public enum StartMode { TRIGGER, EVENT }

    /** Never prints the token: records print every component otherwise. */
    @Override
    public String toString() {
        return "HatchetSettings[hostPort=" + hostPort + ", tenant=" + claims.tenantId() + ", namespace=" + namespace + "]";
    }

    static HatchetSettings from(AppConfig config, java.time.Clock clock) {
        String token = config.optional("hatchet.client.token");
        if (token == null) {
            return null;
        }
        HatchetToken claims = HatchetToken.parse(token, clock);
        String hostPort = config.optional("hatchet.client.host.port");
        hostPort = hostPort != null ? hostPort : claims.grpcAddress();
        if (hostPort == null) {
            throw new AppConfig.ConfigException("HATCHET_CLIENT_HOST_PORT is unset and HATCHET_CLIENT_TOKEN has no "
                    + "grpc_broadcast_address claim: set HATCHET_CLIENT_HOST_PORT to the engine's host:port");
        }
        hostPort = hostPort.replaceFirst("^[a-zA-Z]+://", "").replaceAll("/+$", "");
        if (!hostPort.matches("[^:/\\s]+:\\d{1,5}")) {
            throw new AppConfig.ConfigException("HATCHET_CLIENT_HOST_PORT=" + hostPort + " is not host:port");
        }
        String strategy = config.string("hatchet.client.tls.strategy").toLowerCase(Locale.ROOT);
        if (!strategy.equals("tls") && !strategy.equals("none")) {
            throw new AppConfig.ConfigException("HATCHET_CLIENT_TLS_STRATEGY=" + strategy
                    + " is not supported: use tls (default) or none");
        }
        String rootCa = config.optional("hatchet.client.tls.root.ca.file");
        if (rootCa != null && !Files.isReadable(Path.of(rootCa))) {
            throw new AppConfig.ConfigException("HATCHET_CLIENT_TLS_ROOT_CA_FILE=" + rootCa + " cannot be read");
        }
        String namespace = config.optional("hatchet.client.namespace");
        if (namespace != null) {
            namespace = namespace.toLowerCase(Locale.ROOT);
            namespace = namespace.endsWith("_") ? namespace : namespace + "_";
        }
        String start = config.string("kaaj.hatchet.start").toUpperCase(Locale.ROOT);
        StartMode mode;
        try {
            mode = StartMode.valueOf(start);
        } catch (IllegalArgumentException e) {
            throw new AppConfig.ConfigException("KAAJ_HATCHET_START=" + start.toLowerCase(Locale.ROOT)
                    + " must be trigger or event");
        }
        return new HatchetSettings(token, claims, hostPort, strategy.equals("tls"),
                rootCa == null ? null : Path.of(rootCa), config.optional("hatchet.client.tls.server.name"),
                namespace == null ? "" : namespace, config.optional("hatchet.client.worker.name"), mode);
    }
}
