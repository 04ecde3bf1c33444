package ai.kaaj.api;

/** What an API call answers: an HTTP status and a body the service writes as JSON. */
public record Reply(int status, Object body) {

    public static Reply ok(Object body) {
        return new Reply(200, body);
    }

    public static Reply accepted(Object body) {
        return new Reply(202, body);
    }

    public static Reply created(Object body) {
        return new Reply(201, body);
    }
}
