package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings;
import ai.kaaj.hatchet.proto.dispatcher.DispatcherGrpc;
import ai.kaaj.hatchet.proto.dispatcher.GetVersionRequest;
import ai.kaaj.hatchet.proto.events.EventsServiceGrpc;
import ai.kaaj.hatchet.proto.v1.AdminServiceGrpc;
import ai.kaaj.hatchet.proto.workflows.WorkflowServiceGrpc;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to Hatchet's engine, with the token on every call (streams included), the
 * keepalive the official SDKs use, the namespace Hatchet clients prefix names with, and the
 * engine's version (asked once), which says which registration it understands.
 */
public final class HatchetConnection implements AutoCloseable {

    /** The engine's default limit on any message, both ways (SERVER_GRPC_MAX_MSG_SIZE); larger ones are refused. */
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** The first engine version whose Register takes slot_config (the official SDKs' MinEngineVersion.SLOT_CONFIG). */
    static final String SLOT_CONFIG_VERSION = "v0.78.23";
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final String namespace;
    private final String target;
    private volatile Optional<String> engineVersion;

    private HatchetConnection(ManagedChannel channel, String namespace, String target) {
        this.channel = channel;
        this.namespace = namespace;
        this.target = target;
    }

    public static HatchetConnection open(HatchetSettings settings) {
        ChannelCredentials credentials;
        try {
            credentials = !settings.tls() ? InsecureChannelCredentials.create()
                    : settings.rootCaFile() == null ? TlsChannelCredentials.create()
                    : TlsChannelCredentials.newBuilder().trustManager(settings.rootCaFile().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HATCHET_CLIENT_TLS_ROOT_CA_FILE " + settings.rootCaFile(), e);
        }
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + settings.token());
        ManagedChannelBuilder<?> builder = Grpc.newChannelBuilder(settings.hostPort(), credentials)
                // the engine drops clients that ping more often than every 5 s
                .keepAliveTime(10, TimeUnit.SECONDS)
                .keepAliveTimeout(60, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .userAgent("kaaj-lending-pipelines")
                .intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
        if (settings.serverName() != null) {
            builder.overrideAuthority(settings.serverName());
        }
        return new HatchetConnection(builder.build(), settings.namespace(), settings.hostPort());
    }

    /** Workflow names, event keys and the worker name carry the namespace; task names do not. */
    public String named(String name) {
        return namespace.isEmpty() || name.startsWith(namespace) ? name : namespace + name;
    }

    /** The action id a task is registered, advertised and assigned by: workflow:task, lower case. */
    public String actionId(String workflow, String task) {
        return (named(workflow) + ":" + task).toLowerCase(Locale.ROOT);
    }

    DispatcherGrpc.DispatcherBlockingStub dispatcher() {
        return DispatcherGrpc.newBlockingStub(channel);
    }

    DispatcherGrpc.DispatcherStub dispatcherStream() {
        return DispatcherGrpc.newStub(channel);
    }

    EventsServiceGrpc.EventsServiceBlockingStub events() {
        return EventsServiceGrpc.newBlockingStub(channel);
    }

    WorkflowServiceGrpc.WorkflowServiceBlockingStub workflows() {
        return WorkflowServiceGrpc.newBlockingStub(channel);
    }

    AdminServiceGrpc.AdminServiceBlockingStub admin() {
        return AdminServiceGrpc.newBlockingStub(channel);
    }

    /**
     * The engine's version from GetVersion, asked on first use; empty for an engine too old to have
     * GetVersion (it answers UNIMPLEMENTED), as the official SDKs read it.
     */
    public Optional<String> engineVersion() {
        Optional<String> known = engineVersion;
        if (known == null) {
            try {
                String version = dispatcher().withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getVersion(GetVersionRequest.getDefaultInstance()).getVersion();
                known = version.isBlank() ? Optional.empty() : Optional.of(version);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                    throw explain("ask the engine's version", e);
                }
                known = Optional.empty();
            }
            engineVersion = known;
        }
        return known;
    }

    /** The engine's version for people: logs and /api/health. */
    public String engineVersionText() {
        return engineVersion().orElse("older than " + SLOT_CONFIG_VERSION + " (no GetVersion)");
    }

    /** Whether Register takes slot_config; older engines know only the legacy slots field. */
    boolean supportsSlotConfig() {
        return engineVersion().map(version -> compareVersions(version, SLOT_CONFIG_VERSION) >= 0).orElse(false);
    }

    /** Compares "v0.78.23"-style versions by major, minor and patch; an unreadable one counts as 0.0.0, as the SDKs do. */
    static int compareVersions(String a, String b) {
        int[] left = versionParts(a);
        int[] right = versionParts(b);
        for (int i = 0; i < 3; i++) {
            if (left[i] != right[i]) {
                return Integer.compare(left[i], right[i]);
            }
        }
        return 0;
    }

    private static int[] versionParts(String version) {
        String[] parts = version.replaceFirst("^v", "").split("-", 2)[0].split("\\.");
        try {
            if (parts.length == 3) {
                return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
            }
        } catch (NumberFormatException e) {
            // unreadable: as 0.0.0 below
        }
        return new int[3];
    }

    /** An engine error as a sentence for the operator; a rejected token says so plainly. */
    HatchetException explain(String what, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String detail = e.getStatus().getDescription() == null ? code.name() : e.getStatus().getDescription();
        if (code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED) {
            return new HatchetException("Hatchet at " + target + " rejected HATCHET_CLIENT_TOKEN (" + detail
                    + "): check the token is current and belongs to this engine", e);
        }
        if (code == Status.Code.UNAVAILABLE) {
            return new HatchetException("Hatchet at " + target + " is unreachable while trying to " + what + " ("
                    + detail + rootCause(e) + ")", e);
        }
        return new HatchetException("Hatchet refused to " + what + ": " + code + " " + detail, e);
    }

    /** A failure that may pass by itself (the engine is down or slow), as against a refusal that will not. */
    static boolean isTransient(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.ABORTED;
    }

    /** What lies under gRPC's "io exception": a refused connection, an untrusted certificate… */
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause == e || cause.getMessage() == null ? "" : ": " + cause.getMessage();
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
