package ai.kaaj.hatchet;

/**
 * A step the engine assigned to this worker, or the cancel of one: Hatchet's AssignedAction as far as
 * this service reads it. The ids are echoed back in the step's reports.
 *
 * @param runId      Hatchet's workflow run id
 * @param stepRunId  the task run's external id, the same for every retry of the step
 * @param retryCount 0 for the first attempt
 * @param payload    the JSON Hatchet sends the step: its input, its parents' outputs, earlier errors
 * @param metadata   the run's additional metadata as JSON, "" when none
 * @param eventKey   the key of the event that started the run, "" when it was triggered
 */
public record HatchetAction(Type type, String runId, String jobId, String jobRunId, String stepId, String stepRunId,
                            String actionId, String stepName, int retryCount, String payload, String metadata,
                            String eventKey) {

    public enum Type {
        START_STEP,
        CANCEL_STEP,
        /** Group keys and batches: this worker registers no such actions. */
        OTHER
    }

    /** One attempt of one step: a cancel names the attempt it ends. */
    public String attemptKey() {
        return stepRunId + "/" + retryCount;
    }
}
