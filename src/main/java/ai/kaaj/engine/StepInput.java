package ai.kaaj.engine;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * What a step route receives: the workflow's input and its parent steps' outputs, the same shape
 * Hatchet sends ({"input": …, "parents": {"step": …}}), plus the run id and, for on-failure steps, the error.
 */
public record StepInput(String runId, JsonNode input, Map<String, JsonNode> parents, String error) {

    public long inputLong(String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.canConvertToLong()) {
            throw new StepFailure("step input has no " + field);
        }
        return value.asLong();
    }

    public JsonNode parent(String step) {
        JsonNode output = parents.get(step);
        if (output == null) {
            throw new StepFailure("step input has no output of " + step);
        }
        return output;
    }

    public String toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("run_id", runId);
        node.set("input", input);
        ObjectNode parentsNode = node.putObject("parents");
        parents.forEach(parentsNode::set);
        if (error != null) {
            node.put("error", error);
        }
        return node.toString();
    }

    public static StepInput parse(String json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            Map<String, JsonNode> parents = new java.util.LinkedHashMap<>();
            node.path("parents").fields().forEachRemaining(e -> parents.put(e.getKey(), e.getValue()));
            JsonNode error = node.get("error");
            return new StepInput(node.path("run_id").asText(null), node.path("input"), parents,
                    error == null || error.isNull() ? null : error.asText());
        } catch (JsonProcessingException e) {
            throw new StepFailure("step input is not JSON: " + e.getOriginalMessage());
        }
    }
}
