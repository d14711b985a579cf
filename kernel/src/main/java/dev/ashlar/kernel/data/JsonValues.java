package dev.ashlar.kernel.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;

/**
 * JSON attributes as Jackson trees. A {@link Row} keeps JSON as text (the SPI depends on the JDK
 * alone); this reads it as a tree.
 *
 * <pre>{@code JsonNode meta = JsonValues.tree(post, "meta"); meta.get("views").asInt(); }</pre>
 */
public final class JsonValues {
    /**
     * Reads what PostgreSQL stores, whatever its strings', keys' and numbers' length (nesting keeps Jackson's bound);
     * the same bounds as the data layer's own reader, written here since this package does not reach into its
     * internal one.
     */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder().streamReadConstraints(
            StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE).build()).build());

    private JsonValues() {
    }

    /** The JSON attribute of a row as a tree, or null when it is null. */
    public static JsonNode tree(Row row, String field) {
        String json = row.getJson(field);
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            // jsonb nests up to its own stack depth; a tree is built by recursion, one level a call.
            throw QueryException.of(row.resource(), field, "Field '" + field + "' of " + row.resource()
                    + " nests deeper than a tree is read (" + e.getOriginalMessage() + "): read it as text with "
                    + "row.getJson(\"" + field + "\")", e);
        } catch (JsonProcessingException e) {
            throw QueryException.of(row.resource(), field, "Field '" + field + "' of " + row.resource()
                    + " does not hold JSON: " + e.getOriginalMessage(), e);
        }
    }
}
