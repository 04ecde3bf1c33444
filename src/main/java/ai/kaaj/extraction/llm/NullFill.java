package ai.kaaj.extraction.llm;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/** Field-by-field filling of one record's null fields from another record of the same type. */
public final class NullFill {

    public record Filled<T>(T value, boolean changed) {
    }

    private NullFill() {
    }

    public static <T> Filled<T> fill(T into, T from, Class<T> type) {
        if (into == null || from == null) {
            return new Filled<>(into == null ? from : into, into == null && from != null);
        }
        ObjectNode target = Json.MAPPER.valueToTree(into);
        JsonNode source = Json.MAPPER.valueToTree(from);
        boolean changed = false;
        for (Iterator<Map.Entry<String, JsonNode>> fields = source.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode current = target.get(field.getKey());
            if ((current == null || current.isNull()) && !field.getValue().isNull()) {
                target.set(field.getKey(), field.getValue());
                changed = true;
            }
        }
        try {
            return new Filled<>(Json.MAPPER.treeToValue(target, type), changed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot rebuild " + type.getSimpleName() + " after filling", e);
        }
    }
}
