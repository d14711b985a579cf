package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * JSON stored as {@code jsonb}. Accepts JSON text (checked before it is sent), a Jackson tree, or
 * maps, lists, numbers, strings and booleans, which are written as JSON; reads back the text.
 */
final class JsonCodec implements Codec {
    static final JsonCodec INSTANCE = new JsonCodec();
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {
    }

    @Override
    public Object toDatabase(Object value) {
        try {
            String json;
            if (value instanceof String text) {
                check(text);
                json = text;
            } else {
                json = value instanceof JsonNode tree ? tree.toString() : MAPPER.writeValueAsString(value);
            }
            TextCodec.refuseLoneSurrogates(json);
            return json;
        } catch (JsonProcessingException e) {
            throw new RejectedValue(value instanceof String ? "is not valid JSON: " + e.getOriginalMessage()
                    : "cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Reads the first JSON value of the text through, as {@code readTree} would, without building a tree:
     * a bulk write checks each record's JSON at the cost of a scan.
     */
    private static void check(String text) throws JsonProcessingException {
        try (JsonParser parser = MAPPER.createParser(text)) {
            if (parser.nextToken() != null) {
                parser.skipChildren();
                parser.finishToken();
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading JSON from a string failed", e);
        }
    }

    @Override
    public void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        // Types.OTHER sends the text untyped, so the server reads it as the column's jsonb.
        statement.setObject(index, value, Types.OTHER);
    }

    @Override
    public Object read(ResultSet rows, int index) throws SQLException {
        return rows.getString(index);
    }

    @Override
    public String castType() {
        return "jsonb";
    }

    @Override
    public String arrayTypeName() {
        return "jsonb";
    }
}
