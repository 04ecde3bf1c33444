package ai.kaaj.engine;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;

/**
 * What a step route receives: the workflow's input and its parent steps' outputs, the same shape
 * Hatchet sends ({"input": …, "parents": {"step": …}}), plus the run id, for on-failure steps the
 * error, and when the step's time is up (set by StepRunner; null outside it).
 */
public record StepInput(String runId, JsonNode input, Map<String, JsonNode> parents, String error, Instant deadline) {

    public StepInput(String runId, JsonNode input, Map<String, JsonNode> parents, String error) {
        this(runId, input, parents, error, null);
    }

    public StepInput withDeadline(Instant at) {
        return new StepInput(runId, input, parents, error, at);
    }

    public long inputLong(String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new StepFailure("step input has no " + field);
        }
        return value.asLong();
    }

    /**
     * A parent step's output as the record that step returns. Outputs travel as JSON (stored by the embedded
     * engine, carried by Hatchet); one that does not fit the record fails the step for good, as no retry mends it.
     */
    public <T> T parent(String step, Class<T> type) {
        JsonNode output = parents.get(step);
        if (output == null) {
            throw new StepFailure("step input has no output of " + step);
        }
        try {
            return Json.MAPPER.treeToValue(output, type);
        } catch (JsonProcessingException e) {
            throw new StepFailure("the output of " + step + " does not fit " + type.getSimpleName() + ": "
                    + e.getOriginalMessage() + Json.whereIs(e), e);
        }
    }
}
