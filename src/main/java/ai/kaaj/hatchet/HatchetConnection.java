package ai.kaaj.hatchet;

import ai.kaaj.config.HatchetSettings;
import ai.kaaj.hatchet.proto.dispatcher.DispatcherGrpc;
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
import java.util.concurrent.TimeUnit;

/**
 * One gRPC channel to Hatchet's engine, with the token on every call (streams included), the
 * keepalive the official SDKs use, and the namespace Hatchet clients prefix names with.
 */
public final class HatchetConnection implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final String namespace;
    private final String target;

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
