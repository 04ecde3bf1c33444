package ai.kaaj.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;

import java.util.stream.Collectors;

/** Where in a JSON document a mapping error is, as a field path ("programs[0].min_fico"). */
final class JsonErrors {

    private JsonErrors() {
    }

    static String at(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "";
        }
        String path = mapping.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        return " (at " + (path.startsWith(".") ? path.substring(1) : path) + ")";
    }
}
