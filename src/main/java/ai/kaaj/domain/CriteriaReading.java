package ai.kaaj.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /**
     * Criteria an operator saved over an earlier reading, as the console saves: every value, most left as they
     * were. A value left as the earlier reading had it (the same program, by name, and field; a list item still in
     * its list, wherever it moved) keeps its evidence, so reasons go on quoting the guideline; a value typed in or
     * changed is "manual". No warnings.
     */
    public static CriteriaReading corrected(LenderCriteria criteria, CriteriaReading earlier) {
        Map<String, Evidence> known = new HashMap<>();
        values(earlier.criteria()).forEach((path, value) -> {
            Evidence e = earlier.evidence().get(path);
            if (e != null) {
                known.put(identity(earlier.criteria(), path, value), e);
            }
        });
        Map<String, Evidence> evidence = new LinkedHashMap<>();
        values(criteria).forEach((path, value) -> evidence.put(path,
                known.getOrDefault(identity(criteria, path, value), Evidence.ENTERED_BY_HAND)));
        return new CriteriaReading(criteria, evidence, List.of());
    }

    private static final Pattern PROGRAM_PATH = Pattern.compile("programs\\[(\\d+)]\\.(.+)");

    /** A value as itself, wherever it stands: its program's name (or place, unnamed), its field, and the value. */
    private static String identity(LenderCriteria criteria, String path, JsonNode value) {
        String program = "";
        String field = path;
        Matcher at = PROGRAM_PATH.matcher(path);
        if (at.matches()) {
            String name = criteria.programs().get(Integer.parseInt(at.group(1))).name();
            program = name == null ? "#" + at.group(1) : name.strip().toLowerCase(Locale.ROOT);
            field = at.group(2);
        }
        return program + "\n" + field.replaceFirst("\\[\\d+]$", "") + "\n" + value;
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
