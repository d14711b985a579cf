package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

/**
 * JSON stored as {@code jsonb}, or as {@code json} ({@link #KEPT_TEXT}). Accepts JSON text (checked before it is
 * sent), a Jackson tree, or maps, lists, numbers, strings and booleans, which are written as JSON; reads back the text.
 *
 * <p>What {@code jsonb} cannot store is refused on the field rather than changed or left for the server: the escape of
 * the NUL character (jsonb has no text form for it: "unsupported Unicode escape sequence"), and a NaN or infinite
 * number (JSON has none; Jackson would otherwise write the string {@code "NaN"} in its place), and a computed value
 * ({@link Atomic}, a {@link Filter}) inside a map or list, which is not computed there: Jackson would write its parts.
 */
final class JsonCodec implements Codec {
    /** JSON stored as {@code jsonb}, which keeps each value in a normal form (keys sorted, spaces dropped). */
    static final JsonCodec INSTANCE = new JsonCodec("jsonb");
    /**
     * JSON stored as {@code json} ({@code migrationType("json")}), which keeps its text as written, spaces and key
     * order included. It is compared, sorted and grouped as {@code jsonb}, since {@code json} has no equality or
     * ordering operator: so what {@code jsonb} cannot store is refused here too, or no filter could read the row.
     */
    static final JsonCodec KEPT_TEXT = new JsonCodec("json");
    private static final Codec TEXT_CARRIER = TextCodec.text(null);
    private static final JsonSerializer<Object> COMPUTED = new JsonSerializer<>() {
        @Override
        public void serialize(Object value, JsonGenerator out, SerializerProvider provider) throws IOException {
            provider.reportBadDefinition(value.getClass(), "a computed value has no JSON form");
        }
    };
    /**
     * An object of the JDK's own classes that the mapping has no JSON form for (a {@code Thread}, a class of
     * {@code java.*}, {@code javax.*}, {@code jdk.*}, {@code sun.*}, or one extending such a class) or a resource
     * ({@code AutoCloseable}: a {@code Connection}, a stream) is refused, where Jackson would write its getters as a
     * large object. The JDK's value types (text, numbers, dates, {@code UUID}, maps, lists, arrays) have serialisers
     * of their own and are not beans; a record or a bean of the user's own domain is written as before.
     */
    private static final BeanSerializerModifier NOT_DATA = new BeanSerializerModifier() {
        @Override
        public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription bean,
                                                  JsonSerializer<?> serializer) {
            return serializer instanceof BeanSerializerBase && notData(bean.getBeanClass()) ? NO_FORM : serializer;
        }
    };
    private static final JsonSerializer<Object> NO_FORM = new JsonSerializer<>() {
        @Override
        public void serialize(Object value, JsonGenerator out, SerializerProvider provider) throws IOException {
            provider.reportBadDefinition(value.getClass(), "an object of the JDK or a resource has no JSON form");
        }
    };

    private static boolean notData(Class<?> type) {
        if (AutoCloseable.class.isAssignableFrom(type)) {
            return true;
        }
        for (Class<?> c = type; c != null && c != Object.class && c != Record.class; c = c.getSuperclass()) {
            String name = c.getName();
            if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                    || name.startsWith("sun.") || name.startsWith("com.sun.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * JSON's keys are text. A key that is a number is written as its text and an enum constant as its name, as
     * Jackson (and Elixir's Jason) write them; a key with no one text form (a date, a list, a record) or null is
     * refused, where Jackson would write its {@code toString()}. Two keys of one map written alike ({@code 1} and
     * {@code "1"}) are refused by the writer's duplicate check, where jsonb would keep one of the two values.
     */
    private static final JsonSerializer<Object> TEXT_KEYS = new JsonSerializer<>() {
        @Override
        public void serialize(Object key, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (key instanceof String text) {
                out.writeFieldName(text);
            } else if (key instanceof Enum<?> constant) {
                out.writeFieldName(constant.name());
            } else if (key instanceof Number || key instanceof UUID) {
                out.writeFieldName(key.toString());
            } else {
                throw new KeyNotText(out, key);
            }
        }
    };
    static final ObjectMapper MAPPER = JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(StreamWriteFeature.STRICT_DUPLICATE_DETECTION)
            .addModule(new SimpleModule().addSerializer(Atomic.class, COMPUTED).addSerializer(Filter.class, COMPUTED)
                    .addKeySerializer(Object.class, TEXT_KEYS).setSerializerModifier(NOT_DATA))
            .addModule(EmbeddedValues.module())
            .build();

    static {
        MAPPER.getSerializerProvider().setNullKeySerializer(TEXT_KEYS);
    }
    /**
     * Reads JSON text to check it, without the reader's default limits on a string's and a key's length and on
     * nesting, which jsonb does not share: past them (a string of 20 million characters, arrays 1,001 deep) the text
     * would be called invalid JSON. The streaming reader keeps its nesting on the heap, not the stack.
     */
    private static final JsonFactory TEXT_READER = StoredJson.factory(true);

    /** The column's type: {@code jsonb} or {@code json}. */
    private final String stored;

    private JsonCodec(String stored) {
        this.stored = stored;
    }

    @Override
    public Object toDatabase(Object value) {
        return toDatabase(value, true);
    }

    /**
     * Leaves out the reader's check of JSON text: a bulk write checks each text by {@link #passAll}'s grammar scan
     * instead (no parse), and reads a text with the reader only when the scan refuses it, to name the record.
     */
    @Override
    public Object toDatabaseInBulk(Object value) {
        return toDatabase(value, false);
    }

    /**
     * Reads each text by JSON's grammar straight off the text ({@link JsonGrammar}): they pass when each is exactly
     * one JSON value. One that is not sends the caller back to {@link #toDatabase}, whose reader names what is wrong.
     */
    @Override
    public boolean passAll(List<Object> values) {
        for (Object value : values) {
            if (value instanceof String text && !JsonGrammar.oneValue(text)) {
                return false;
            }
        }
        return true;
    }

    private Object toDatabase(Object value, boolean parse) {
        String json;
        try {
            if (value instanceof String text) {
                if (parse) {
                    check(text);
                }
                json = text;
            } else {
                json = MAPPER.writeValueAsString(value);
            }
        } catch (com.fasterxml.jackson.databind.exc.InvalidDefinitionException e) {
            throw unwritable(e);
        } catch (KeyNotText e) {
            String map = path(e.mapPath());
            throw new RejectedValue("cannot be written as JSON: a map" + (map.isEmpty() ? "" : " at " + map)
                    + " has the key " + e.getOriginalMessage() + ", but a JSON key is text and this key has no one "
                    + "text form: give its keys as Strings (numbers and enum constants are written as their text)");
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new RejectedValue("cannot be written as JSON: a map has two keys written as "
                        + e.getOriginalMessage().substring("Duplicate field ".length()) + " (a number and its text, "
                        + "say), and a JSON object keeps one value per key: give the map one key for each text");
            }
            if (!(value instanceof String) && tooDeep(e)) {
                // Writing a Java value recurses once per level: the writer's bound on nesting keeps the stack.
                throw new RejectedValue("cannot be written as JSON: its maps and lists nest more than "
                        + StreamWriteConstraints.DEFAULT_MAX_DEPTH + " levels deep (or one holds itself); give it as "
                        + "JSON text (a String), which is not bounded so, or nest it less");
            }
            throw new RejectedValue(value instanceof String ? "is not valid JSON: " + e.getOriginalMessage()
                    : "cannot be written as JSON: " + e.getOriginalMessage());
        }
        // All are rare: the text is read again only when it may hold one of them.
        boolean written = !(value instanceof String);
        if (holdsEscapeJsonbRefuses(json) || holdsLongNumber(json)
                || written && (json.contains("NaN") || json.contains("Infinity"))) {
            refuseWhatJsonbCannotStore(json, written);
        }
        TextCodec.refuseLoneSurrogates(json);
        return json;
    }

    /** Whether the writer stopped at its bound on nesting (the mapper wraps the writer's own exception). */
    private static boolean tooDeep(JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the JSON value of the text through, as {@code readTree} would, without building a tree: a bulk write
     * checks each record's JSON at the cost of a scan. Text after the value is refused, as the server would.
     */
    private static void check(String text) throws JsonProcessingException {
        try (JsonParser parser = TEXT_READER.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new RejectedValue("is not valid JSON: the text is empty; give null for no value, or \"\\\"\\\"\" "
                        + "for an empty JSON string");
            }
            parser.skipChildren();
            parser.finishToken();
            if (parser.nextToken() != null) {
                throw new RejectedValue("is not valid JSON: it holds more than one value (at character "
                        + parser.currentTokenLocation().getCharOffset() + "); give one object, array or scalar");
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading JSON from a string failed", e);
        }
    }

    /**
     * Whether the text holds the escape of NUL ({@code \\u0000}) or of a surrogate ({@code \\ud800} to
     * {@code \\udfff}): JSON's grammar takes both and the JSON reader decodes them, but jsonb refuses NUL and a
     * surrogate escape without its pair, with a server error that names no field.
     */
    private static boolean holdsEscapeJsonbRefuses(String json) {
        for (int at = json.indexOf("\\u"); at >= 0 && at + 6 <= json.length(); at = json.indexOf("\\u", at + 2)) {
            String hex = json.substring(at + 2, at + 6);
            if (hex.equals("0000") || (hex.charAt(0) == 'd' || hex.charAt(0) == 'D')
                    && "89abcdefABCDEF".indexOf(hex.charAt(1)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the text may hold a number past what numeric holds: one with an exponent of four digits or more, or with
     * a thousand digits in a row. jsonb keeps a number as numeric, which holds 131,072 digits before the point and
     * 16,383 after; a Java number is written with all its digits, and JSON text takes numbers of any length.
     */
    private static boolean holdsLongNumber(String json) {
        boolean inString = false;
        for (int at = 0, n = json.length(), run = 0; at < n; at++) {
            char c = json.charAt(at);
            if (inString || c == '"') {
                // Digits in a key or a string are no number: skip to the closing quote, past escaped ones.
                if (c == '\\' && inString) {
                    at++;
                } else if (c == '"') {
                    inString = !inString;
                }
                run = 0;
                continue;
            }
            if ((c == 'e' || c == 'E') && at > 0 && Character.isDigit(json.charAt(at - 1))) {
                boolean signed = at + 1 < n && (json.charAt(at + 1) == '+' || json.charAt(at + 1) == '-');
                int digits = signed ? at + 2 : at + 1;
                int end = digits;
                while (end < n && Character.isDigit(json.charAt(end))) {
                    end++;
                }
                if (end - digits >= 4) {
                    return true;
                }
            }
            run = Character.isDigit(c) ? run + 1 : 0;
            if (run >= 1_000) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a key or string holding NUL or a surrogate without its pair, a number past what numeric holds, and a
     * number written as NaN or Infinity (valid JSON never has one): the only text Ashlar's own writer cannot read back;
     * text the caller gave (a bulk write reads it here first) is refused as not valid JSON, as one record's write is.
     */
    private static void refuseWhatJsonbCannotStore(String json, boolean written) {
        try (JsonParser parser = TEXT_READER.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                    refuseInString(parser.getText(), token == JsonToken.FIELD_NAME);
                } else if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
                    refuseBeyondNumeric(parser.getText());
                }
            }
        } catch (JsonProcessingException e) {
            if (!written) {
                throw new RejectedValue("is not valid JSON: " + e.getOriginalMessage());
            }
            throw new RejectedValue("cannot be written as JSON: it holds NaN or Infinity, which JSON has no number "
                    + "for; store a finite number, a string or null");
        } catch (IOException e) {
            throw new UncheckedIOException("Reading JSON from a string failed", e);
        }
    }

    private static void refuseBeyondNumeric(String number) {
        BigDecimal decimal;
        try {
            decimal = new BigDecimal(number);
        } catch (NumberFormatException e) {
            // An exponent past an int's range: far beyond what numeric holds.
            throw new RejectedValue("holds the number " + number + ", far out of range for numeric, in which jsonb "
                    + "keeps its numbers");
        }
        DecimalCodec.refuseBeyondNumeric(decimal, "holds a number", true);
    }

    private static void refuseInString(String text, boolean key) {
        if (text.indexOf('\0') >= 0) {
            throw new RejectedValue("holds a NUL character (\\u0000) in " + (key ? "the key '"
                    + text.replace("\0", "\\u0000") + "'" : "a string")
                    + ", which PostgreSQL jsonb cannot store: remove it");
        }
        try {
            TextCodec.refuseLoneSurrogates(text);
        } catch (RejectedValue e) {
            throw new RejectedValue("holds the escape of a UTF-16 surrogate without its pair in "
                    + (key ? "a key" : "a string") + ", which is no character and PostgreSQL jsonb cannot store: "
                    + "escape both halves of the pair "
                    + "(\\ud83d\\ude00), or remove it");
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        // Types.OTHER sends the text untyped: the server reads it as the column's type, or as what it is compared with.
        statement.setObject(index, value, Types.OTHER);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        return rows.getString(index);
    }

    @Override
    public String castType() {
        return stored;
    }

    /** A bulk update's {@code json[]} keeps each text as written; a filter's list is compared as {@code jsonb[]}. */
    @Override
    public String arrayTypeName() {
        return stored;
    }

    @Override
    public String comparedAs() {
        return stored.equals("json") ? "jsonb" : null;
    }

    /**
     * In a bulk write, JSON travels as an element of a bound {@code text[]}, which the driver sends in binary, and is
     * cast back row by row to the column's type (a {@code json} column's text as written): a {@code jsonb[]} goes as
     * one array literal that the driver escapes character by character (every quote of every value) and the server
     * unescapes before it parses each value as jsonb anyway.
     */
    @Override
    public Codec bulkCarrier() {
        return TEXT_CARRIER;
    }

    @Override
    public String fromBulk(String carried) {
        return carried + "::" + stored;
    }

    /**
     * A value of a type the JSON writer has no form for (an object without properties, a {@code YearMonth}).
     * Jackson's own advice, to add a module, names a mapper the caller cannot reach.
     */
    private static RejectedValue unwritable(com.fasterxml.jackson.databind.exc.InvalidDefinitionException e) {
        String path = path(e.getPath());
        Class<?> raw = e.getType() == null ? null : e.getType().getRawClass();
        String at = path.isEmpty() ? "" : " at " + path;
        if (raw != null && (Atomic.class.isAssignableFrom(raw) || Filter.class.isAssignableFrom(raw))) {
            return new RejectedValue("cannot be written as JSON: it holds a computed value (" + raw.getSimpleName()
                    + ")" + at + ", which is not computed inside a JSON value; compute the whole value in SQL, "
                    + "Atomic.sql(...) in a write (e.g. Atomic.sql(\"jsonb_build_array(1, (SELECT 3))\")) or "
                    + "Filter.sql(...) in a filter, or give a plain value there");
        }
        String type = raw == null ? "a value" : "a " + raw.getName();
        return new RejectedValue("cannot be written as JSON: it holds " + type + at + ", which has no JSON form here; "
                + "give it as text (e.g. its toString()) or a number, or as a Map, List or record of text, numbers, "
                + "booleans and nulls");
    }

    /** Where in a written value the writer stopped: {@code items[2].name}, or empty at the top. */
    static String path(List<JsonMappingException.Reference> steps) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : steps) {
            path.append(step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]");
        }
        return path.length() > 0 && path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    /** A map key that is not text, found while writing; the message names the key. */
    private static final class KeyNotText extends JsonMappingException {
        private static final long serialVersionUID = 1L;
        private final String key;

        KeyNotText(JsonGenerator out, Object key) {
            super(out, key == null ? "null" : key + " (a " + key.getClass().getName() + ")");
            this.key = String.valueOf(key);
        }

        /**
         * The steps to the map holding the key: an untyped map adds the key as the last step, a map typed by a
         * record's component does not, so its last step is the component.
         */
        List<Reference> mapPath() {
            List<Reference> steps = getPath();
            boolean keyLast = !steps.isEmpty() && key.equals(steps.get(steps.size() - 1).getFieldName());
            return keyLast ? steps.subList(0, steps.size() - 1) : steps;
        }
    }
}
