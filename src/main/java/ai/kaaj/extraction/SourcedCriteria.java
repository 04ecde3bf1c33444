package ai.kaaj.extraction;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Criteria taken apart into values that each carry their evidence, so that normalising, dropping, renaming and
 * merging keep every value's evidence with it. {@link #reading} puts them back together and keys the evidence by
 * the values' new paths. Field names are the JSON names ("min_fico"); a list's items are values one by one.
 */
public final class SourcedCriteria {

    /** One value (a number, a boolean, a text or one list item) and where it came from; evidence may be null. */
    public record Value(JsonNode value, Evidence evidence) {
    }

    /** One program: its single values and its lists, by field name, each list non-empty. */
    public static final class SourcedProgram {
        public final Map<String, Value> fields = new LinkedHashMap<>();
        public final Map<String, List<Value>> lists = new LinkedHashMap<>();

        /** The program's name as written, or null. */
        public String name() {
            Value name = fields.get("name");
            return name == null ? null : name.value().asText();
        }
    }

    /** null when the criteria have no programs list (as opposed to an empty one). */
    public List<SourcedProgram> programs;
    /** The lender-wide lists by field name ("excluded_industries"), each non-empty. */
    public final Map<String, List<Value>> lists = new LinkedHashMap<>();

    /** The criteria's values with the evidence at their paths; a list's own path stands for each item without its own. */
    public static SourcedCriteria of(LenderCriteria criteria, Map<String, Evidence> evidence) {
        SourcedCriteria out = new SourcedCriteria();
        JsonNode tree = Json.MAPPER.valueToTree(criteria);
        for (Iterator<Map.Entry<String, JsonNode>> fields = tree.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals("programs")) {
                if (field.getValue().isArray()) {
                    out.programs = new ArrayList<>();
                    for (int i = 0; i < field.getValue().size(); i++) {
                        JsonNode program = field.getValue().get(i);
                        if (program.isObject()) {
                            out.programs.add(program(program, "programs[" + i + "].", evidence));
                        }
                    }
                }
            } else {
                putList(out.lists, field.getKey(), field.getValue(), field.getKey(), evidence);
            }
        }
        return out;
    }

    private static SourcedProgram program(JsonNode node, String at, Map<String, Evidence> evidence) {
        SourcedProgram program = new SourcedProgram();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isArray()) {
                putList(program.lists, field.getKey(), value, at + field.getKey(), evidence);
            } else if (!value.isNull()) {
                program.fields.put(field.getKey(), new Value(value, evidence.get(at + field.getKey())));
            }
        }
        return program;
    }

    private static void putList(Map<String, List<Value>> into, String field, JsonNode array, String path,
                                Map<String, Evidence> evidence) {
        if (!array.isArray() || array.isEmpty()) {
            return;
        }
        List<Value> items = new ArrayList<>();
        for (int j = 0; j < array.size(); j++) {
            Evidence own = evidence.get(path + "[" + j + "]");
            items.add(new Value(array.get(j), own != null ? own : evidence.get(path)));
        }
        into.put(field, items);
    }

    /** Removes the values at these paths (as {@link #reading} would key them now), all at once. */
    public void drop(Set<String> paths) {
        if (programs != null) {
            for (int i = 0; i < programs.size(); i++) {
                SourcedProgram program = programs.get(i);
                String at = "programs[" + i + "].";
                program.fields.keySet().removeIf(field -> paths.contains(at + field));
                dropItems(program.lists, at, paths);
            }
        }
        dropItems(lists, "", paths);
    }

    private static void dropItems(Map<String, List<Value>> lists, String at, Set<String> paths) {
        for (Map.Entry<String, List<Value>> list : lists.entrySet()) {
            List<Value> kept = new ArrayList<>();
            for (int j = 0; j < list.getValue().size(); j++) {
                if (!paths.contains(at + list.getKey() + "[" + j + "]")) {
                    kept.add(list.getValue().get(j));
                }
            }
            list.setValue(kept);
        }
        lists.values().removeIf(List::isEmpty);
    }

    public LenderCriteria criteria() {
        ObjectNode tree = Json.MAPPER.createObjectNode();
        if (programs != null) {
            ArrayNode array = tree.putArray("programs");
            for (SourcedProgram program : programs) {
                ObjectNode node = array.addObject();
                program.fields.forEach((field, value) -> node.set(field, value.value()));
                program.lists.forEach((field, items) -> items.forEach(item -> node.withArray(field).add(item.value())));
            }
        }
        lists.forEach((field, items) -> items.forEach(item -> tree.withArray(field).add(item.value())));
        try {
            return Json.MAPPER.treeToValue(tree, LenderCriteria.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("criteria taken apart do not fit together again", e);
        }
    }

    /** The criteria, the evidence keyed by each value's path, and the warnings given. */
    public CriteriaReading reading(List<String> warnings) {
        Map<String, Evidence> evidence = new LinkedHashMap<>();
        if (programs != null) {
            for (int i = 0; i < programs.size(); i++) {
                String at = "programs[" + i + "].";
                programs.get(i).fields.forEach((field, value) -> put(evidence, at + field, value));
                putItems(evidence, at, programs.get(i).lists);
            }
        }
        putItems(evidence, "", lists);
        return new CriteriaReading(criteria(), evidence, warnings);
    }

    private static void putItems(Map<String, Evidence> evidence, String at, Map<String, List<Value>> lists) {
        lists.forEach((field, items) -> {
            for (int j = 0; j < items.size(); j++) {
                put(evidence, at + field + "[" + j + "]", items.get(j));
            }
        });
    }

    private static void put(Map<String, Evidence> evidence, String path, Value value) {
        if (value.evidence() != null) {
            evidence.put(path, value.evidence());
        }
    }
}
