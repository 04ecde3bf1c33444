package ai.kaaj.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Criteria together with the evidence of each value and the warnings of whoever read them. Evidence is keyed
 * by field path: "programs[1].min_fico", "programs[0].conditions[2]", "excluded_industries[2]" (a list's items
 * one by one). Warnings are sentences for the operator who reviews the reading, each at most
 * {@value #WARNING_LIMIT} characters.
 */
public record CriteriaReading(LenderCriteria criteria, Map<String, Evidence> evidence, List<String> warnings) {

    public static final int WARNING_LIMIT = 400;

    public CriteriaReading {
        evidence = evidence == null ? Map.of() : evidence;
        warnings = warnings == null ? List.of() : warnings.stream().map(w -> Evidence.cap(w, WARNING_LIMIT)).toList();
    }

    /** Criteria an operator typed in: every value's evidence is "manual", no warnings. */
    public static CriteriaReading manual(LenderCriteria criteria) {
        Map<String, Evidence> evidence = new LinkedHashMap<>();
        for (String path : values(criteria).keySet()) {
            evidence.put(path, Evidence.ENTERED_BY_HAND);
        }
        return new CriteriaReading(criteria, evidence, List.of());
    }

    /** Every value the criteria set (not null) by its path, each list item on its own, in schema order. */
    public static Map<String, JsonNode> values(LenderCriteria criteria) {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        collect("", Json.MAPPER.valueToTree(criteria), values);
        return values;
    }

    private static void collect(String at, JsonNode node, Map<String, JsonNode> paths) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(at.isEmpty() ? field.getKey() : at + "." + field.getKey(), field.getValue(), paths);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(at + "[" + i + "]", node.get(i), paths);
            }
        } else {
            paths.put(at, node);
        }
    }
}
