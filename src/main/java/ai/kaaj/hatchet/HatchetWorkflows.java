package ai.kaaj.hatchet;

import ai.kaaj.engine.StepDefinition;
import ai.kaaj.engine.WorkflowDefinition;
import ai.kaaj.hatchet.proto.v1.CreateTaskOpts;
import ai.kaaj.hatchet.proto.v1.CreateWorkflowVersionRequest;

import java.time.Duration;

/**
 * Our workflow definitions as Hatchet's PutWorkflow requests: the same steps, parents, timeouts, retries and
 * event. Part of the client layer: the proto messages are built here and sent by {@link HatchetClient}.
 */
public final class HatchetWorkflows {

    /** How long a task may wait for a free worker slot before Hatchet gives up on it; bursts queue for a while. */
    static final String SCHEDULE_TIMEOUT = "1h";
    /** Retry delays double up to a minute, as the embedded engine's do. */
    private static final float BACKOFF_FACTOR = 2f;
    private static final int BACKOFF_MAX_SECONDS = 60;

    private HatchetWorkflows() {
    }

    static CreateWorkflowVersionRequest registration(WorkflowDefinition workflow, HatchetClient hatchet) {
        CreateWorkflowVersionRequest.Builder request = CreateWorkflowVersionRequest.newBuilder()
                // Hatchet names allow letters, digits, '.', '-' and '_' only: the display name goes in the description
                .setName(hatchet.named(workflow.name()))
                .setDescription(workflow.displayName())
                .addEventTriggers(hatchet.named(workflow.event()));
        workflow.steps().forEach(step -> request.addTasks(task(workflow, step, hatchet)));
        request.setOnFailureTask(task(workflow, workflow.onFailure(), hatchet));
        return request.build();
    }

    private static CreateTaskOpts task(WorkflowDefinition workflow, StepDefinition step, HatchetClient hatchet) {
        return CreateTaskOpts.newBuilder()
                .setReadableId(step.name())
                .setAction(hatchet.actionId(workflow.name(), step.name()))
                .setTimeout(duration(step.timeout()))
                .setInputs("{}")
                .addAllParents(step.parents())
                .setRetries(step.retries())
                .setBackoffFactor(BACKOFF_FACTOR)
                .setBackoffMaxSeconds(BACKOFF_MAX_SECONDS)
                .setScheduleTimeout(SCHEDULE_TIMEOUT)
                .putSlotRequests("default", 1)
                .build();
    }

    /** Hatchet's duration strings: "120s", or "1500ms" below a whole second. */
    static String duration(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
