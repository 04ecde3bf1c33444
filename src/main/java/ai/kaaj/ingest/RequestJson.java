package ai.kaaj.ingest;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON that clients send (request bodies, dropped .json files), read strictly: one JSON object and
 * nothing after it, numbers only as JSON numbers (no "700", "NaN" or "Infinity"; a number where text
 * is expected, as in "naics": 238910, is read as its text), no control characters in text, and sizes
 * within caps. Every refusal names the field and never shows Java
 * class names or parser internals.
 */
public final class RequestJson {

    public static final int MAX_BODY_CHARS = 1_000_000;
    public static final int MAX_TEXT_CHARS = 2_000;
    public static final int MAX_LIST_ITEMS = 500;
    public static final int MAX_DEPTH = 8;

    /** Json.MAPPER's mapping (snake_case, ISO dates, unknown fields refused), without its coercions of text to numbers. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("finite-numbers").addDeserializer(Double.class, new FiniteDouble()))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private RequestJson() {
    }

    /** The body as a JSON object, or 400/413/422 saying what is wrong and where. */
    public static JsonNode object(String what, String body) {
        if (body == null || body.isBlank()) {
            throw new RejectedInput(400, what + " is empty: send a JSON object");
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new RejectedInput(413, what + " is " + body.length() + " characters long; the limit is "
                    + MAX_BODY_CHARS);
        }
        JsonNode node;
        try (JsonParser parser = STRICT.createParser(body)) {
            node = STRICT.readTree(parser);
            trailing(what, parser);
        } catch (JsonProcessingException e) {
            throw new RejectedInput(400, what + " is not valid JSON" + at(e.getLocation()));
        } catch (IOException e) {
            throw new RejectedInput(400, what + " cannot be read");
        }
        if (node == null || !node.isObject()) {
            throw new RejectedInput(400, what + " must be a JSON object");
        }
        check(node, "", 1);
        return node;
    }

    /** Anything after the first value, even garbage that is not JSON, is refused as such. */
    private static void trailing(String what, JsonParser parser) throws IOException {
        JsonToken next;
        try {
            next = parser.nextToken();
        } catch (JsonParseException e) {
            next = JsonToken.NOT_AVAILABLE;
        }
        if (next != null) {
            throw new RejectedInput(400, what + " must be one JSON object with nothing after it"
                    + at(parser.currentLocation()));
        }
    }

    /** The object as the given type, or 400 naming the field that does not fit. */
    public static <T> T as(String what, JsonNode node, Class<T> type) {
        try {
            return STRICT.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw new RejectedInput(400, what + ": unknown field '" + e.getPropertyName() + "'" + Json.whereIs(e));
        } catch (InvalidFormatException e) {
            throw new RejectedInput(400, what + ": " + field(e) + " " + expected(e.getTargetType()) + ", not "
                    + shown(e.getValue()));
        } catch (MismatchedInputException e) {
            throw new RejectedInput(400, what + ": " + field(e) + " " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new RejectedInput(400, what + " does not fit the schema" + Json.whereIs(e));
        }
    }

    /** Depth, list lengths, text lengths and control characters, each refusal naming its field. */
    private static void check(JsonNode node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new RejectedInput(400, name(path) + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.length() > MAX_TEXT_CHARS) {
                throw new RejectedInput(422, name(path) + " is " + text.length() + " characters long; the limit is "
                        + MAX_TEXT_CHARS);
            }
            controlCharacter(text).ifPresent(c -> {
                throw new RejectedInput(422, name(path) + " contains the control character " + c
                        + "; send printable text");
            });
        } else if (node.isArray()) {
            if (node.size() > MAX_LIST_ITEMS) {
                throw new RejectedInput(422, name(path) + " has " + node.size() + " items; the limit is "
                        + MAX_LIST_ITEMS);
            }
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]", depth + 1);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.length() > 100 || controlCharacter(key).isPresent()) {
                    throw new RejectedInput(400, "a field name in " + name(path) + " is not a plain name");
                }
                check(field.getValue(), path.isEmpty() ? key : path + "." + key, depth + 1);
            }
        }
    }

    /** The first control character as U+XXXX; tabs and line breaks are text. */
    private static java.util.Optional<String> controlCharacter(String text) {
        return text.chars().filter(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')
                .mapToObj(c -> String.format("U+%04X", c)).findFirst();
    }

    private static String name(String path) {
        return path.isEmpty() ? "the body" : path;
    }

    private static String field(MismatchedInputException e) {
        String where = Json.whereIs(e);
        // " (at programs[0].min_fico)" -> "programs[0].min_fico"
        return where.isEmpty() ? "a field" : where.substring(5, where.length() - 1);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "must be a whole number (a JSON number, not text)";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "must be a finite number (a JSON number, not text)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == String.class) {
            return "must be text";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "must be a date as YYYY-MM-DD";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "must be a list";
        }
        return "must be a JSON object";
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return "'" + (text.length() > 40 ? text.substring(0, 40) + "…" : text).replaceAll("\\p{Cntrl}", "?") + "'";
    }

    private static String at(com.fasterxml.jackson.core.JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** Doubles only from JSON numbers, and only finite ones: "NaN" as text would fail every minimum. */
    private static final class FiniteDouble extends StdScalarDeserializer<Double> {

        FiniteDouble() {
            super(Double.class);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                double value = p.getDoubleValue();
                if (Double.isFinite(value)) {
                    return value;
                }
            }
            return (Double) ctxt.handleUnexpectedToken(Double.class, p);
        }
    }
}
