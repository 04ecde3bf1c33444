package ai.kaaj.hatchet;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.Set;

/**
 * Hatchet could not be used for what the service needed: the message says what and why. What the
 * engine's answer means for the caller is read here, so that gRPC status codes stay in this layer.
 */
public final class HatchetException extends RuntimeException {

    /** Answers that will not change if the same run is sent again. */
    private static final Set<Status.Code> REFUSALS = Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.ALREADY_EXISTS, Status.Code.FAILED_PRECONDITION, Status.Code.OUT_OF_RANGE);

    public HatchetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure that may pass by itself (the engine is down or slow), as against a refusal that will not. */
    public boolean isTransient() {
        return isTransient(code());
    }

    static boolean isTransient(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.ABORTED;
    }

    /** The engine will never take this run, however often it is sent. */
    public boolean isRefusal() {
        return REFUSALS.contains(code());
    }

    /** The engine does not know this worker (it forgot it, or never registered it): register again. */
    public boolean workerUnknown() {
        return code() == Status.Code.NOT_FOUND;
    }

    /** The engine knows the worker but has no open step stream for it. */
    public boolean streamUnknown() {
        return code() == Status.Code.FAILED_PRECONDITION;
    }

    /** The engine is too old to have this call. */
    public boolean unsupported() {
        return code() == Status.Code.UNIMPLEMENTED;
    }

    /** The engine refused the token. */
    public boolean rejectedToken() {
        return code() == Status.Code.UNAUTHENTICATED || code() == Status.Code.PERMISSION_DENIED;
    }

    /** The engine's answer in short, for logs and health: "UNAVAILABLE: io exception". */
    public String detail() {
        if (!(getCause() instanceof StatusRuntimeException cause)) {
            return getMessage();
        }
        Status status = cause.getStatus();
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    private Status.Code code() {
        return getCause() instanceof StatusRuntimeException cause ? cause.getStatus().getCode() : null;
    }
}
