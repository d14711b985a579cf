package dev.ashlar.kernel.snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of one JSON object of a snapshot, each read as the type the format gives it. A field that is missing or
 * of another type is refused naming its path ({@code columns[1].nullable}) and what belongs there, instead of failing
 * later as a Java cast or a null.
 */
final class JsonFields {
    private final Map<?, ?> json;
    private final String path;

    private JsonFields(Map<?, ?> json, String path) {
        this.json = json;
        this.path = path;
    }

    /** A field that is missing or holds what its place cannot; the message names the field. */
    static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }

    /** The fields of a parsed document, which must be a JSON object. */
    static JsonFields of(Object document) {
        if (document instanceof Map<?, ?> map) {
            return new JsonFields(map, "");
        }
        throw new Invalid("it holds " + (document == null ? "null" : describe(document)) + ", where a JSON object "
                + "belongs");
    }

    /**
     * Refuses a field this format does not have: a name mistyped by hand ({@code "nulable"}) would otherwise be
     * skipped without a word, and the snapshot read as if it said nothing there.
     */
    JsonFields withOnly(Set<String> fields) {
        for (Object key : json.keySet()) {
            if (!fields.contains(key)) {
                throw new Invalid("'" + name(String.valueOf(key)) + "' is no field of this snapshot format; correct its "
                        + "name or remove it (the fields here are " + String.join(", ", new TreeSet<>(fields)) + ")");
            }
        }
        return this;
    }

    boolean has(String key) {
        return json.containsKey(key);
    }

    String text(String key) {
        return required(key, optionalText(key));
    }

    String optionalText(String key) {
        return typed(key, String.class, "text");
    }

    boolean flag(String key) {
        return required(key, optionalFlag(key));
    }

    /** A flag that may be left out, as false. */
    boolean optionalFlag(String key) {
        return Boolean.TRUE.equals(typed(key, Boolean.class, "true or false"));
    }

    int whole(String key) {
        Number number = required(key, typed(key, Number.class, "a whole number"));
        if (!(number instanceof Integer)) {
            throw invalid(key, number, "a whole number");
        }
        return number.intValue();
    }

    /** A whole number that may pass an int's range (a sequence's start), or null when the field is absent. */
    Long optionalLong(String key) {
        Number number = typed(key, Number.class, "a whole number");
        if (number != null && !(number instanceof Integer) && !(number instanceof Long)) {
            throw invalid(key, number, "a whole number");
        }
        return number == null ? null : number.longValue();
    }

    /** A field holding one of the constant's names, in lower case. */
    <E extends Enum<E>> E constant(String key, Class<E> type) {
        String value = text(key);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        throw invalid(key, value, "one of " + String.join(", ", Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
    }

    /** A JSON object kept as plain data (a schema object's definition). */
    @SuppressWarnings("unchecked")
    Map<String, Object> data(String key) {
        return (Map<String, Object>) required(key, typed(key, Map.class, "a JSON object"));
    }

    JsonFields object(String key) {
        return required(key, optionalObject(key));
    }

    JsonFields optionalObject(String key) {
        Map<?, ?> map = typed(key, Map.class, "a JSON object");
        return map == null ? null : new JsonFields(map, name(key));
    }

    List<String> texts(String key) {
        List<?> list = required(key, optionalList(key));
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String)) {
                throw invalid(key + "[" + i + "]", list.get(i), "text");
            }
        }
        return list.stream().map(String.class::cast).toList();
    }

    List<JsonFields> objects(String key) {
        List<?> list = optionalList(key);
        return list == null ? List.of() : objects(key, list);
    }

    List<JsonFields> requiredObjects(String key) {
        return objects(key, required(key, optionalList(key)));
    }

    private List<JsonFields> objects(String key, List<?> list) {
        List<JsonFields> objects = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String element = key + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                throw invalid(element, list.get(i), "a JSON object");
            }
            objects.add(new JsonFields(map, name(element)));
        }
        return objects;
    }

    private List<?> optionalList(String key) {
        return typed(key, List.class, "a list");
    }

    private <T> T typed(String key, Class<T> type, String expected) {
        Object value = json.get(key);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw invalid(key, value, expected);
    }

    private <T> T required(String key, T value) {
        if (value == null) {
            throw new Invalid("'" + name(key) + "' is missing" + (json.containsKey(key) ? " (null)" : ""));
        }
        return value;
    }

    private Invalid invalid(String key, Object value, String expected) {
        return new Invalid("'" + name(key) + "' is " + describe(value) + ", where " + expected + " belongs");
    }

    private String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "a JSON object";
        }
        return String.valueOf(value);
    }
}
