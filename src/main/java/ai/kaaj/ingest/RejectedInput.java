package ai.kaaj.ingest;

/**
 * Input the service refuses, with the HTTP status that fits and a message naming the field or file.
 * REST answers it as {"error": message}; the file drop writes it beside the file in the error folder.
 */
public class RejectedInput extends RuntimeException {

    private final int status;

    public RejectedInput(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
