package ai.kaaj.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What changed between two versions of a lender's criteria, field by field. Programs are paired by
 * name (a renamed program reads as one removed and one added), so reordering programs changes nothing;
 * a missing field and a null one are the same (no limit).
 */
public final class CriteriaDiff {

    /**
     * One change. path names the field as the newer version has it ("programs[1].min_fico",
     * "excluded_states"), or the older one for a removed program; program is the program's name.
     */
    public record Change(String kind, String path, String program, String field, JsonNode from, JsonNode to) {
    }

    private CriteriaDiff() {
    }

    public static List<Change> between(JsonNode older, JsonNode newer) {
        List<Change> changes = new ArrayList<>();
        JsonNode olderPrograms = older.path("programs");
        JsonNode newerPrograms = newer.path("programs");
        for (int i = 0; i < olderPrograms.size(); i++) {
            JsonNode program = olderPrograms.get(i);
            if (indexByName(newerPrograms, name(program)) < 0) {
                changes.add(new Change("removed", "programs[" + i + "]", name(program), null, program,
                        NullNode.instance));
            }
        }
        for (int i = 0; i < newerPrograms.size(); i++) {
            JsonNode program = newerPrograms.get(i);
            int before = indexByName(olderPrograms, name(program));
            if (before < 0) {
                changes.add(new Change("added", "programs[" + i + "]", name(program), null, NullNode.instance,
                        program));
            } else {
                compareFields(olderPrograms.get(before), program, "programs[" + i + "].", name(program), changes);
            }
        }
        compareFields(withoutPrograms(older), withoutPrograms(newer), "", null, changes);
        return changes;
    }

    private static void compareFields(JsonNode older, JsonNode newer, String prefix, String program,
                                      List<Change> changes) {
        Set<String> fields = new LinkedHashSet<>();
        older.fieldNames().forEachRemaining(fields::add);
        newer.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode from = valueOf(older, field);
            JsonNode to = valueOf(newer, field);
            if (!from.equals(to)) {
                changes.add(new Change("changed", prefix + field, program, field, from, to));
            }
        }
    }

    private static JsonNode withoutPrograms(JsonNode criteria) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = Json.MAPPER.createObjectNode();
        for (Iterator<String> names = criteria.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("programs")) {
                copy.set(name, criteria.get(name));
            }
        }
        return copy;
    }

    private static JsonNode valueOf(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null ? NullNode.instance : value;
    }

    private static String name(JsonNode program) {
        return program.path("name").asText("");
    }

    private static int indexByName(JsonNode programs, String name) {
        for (int i = 0; i < programs.size(); i++) {
            if (name(programs.get(i)).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }
}
