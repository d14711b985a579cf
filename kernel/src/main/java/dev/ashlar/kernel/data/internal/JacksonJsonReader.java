package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.JsonReader;

import java.lang.reflect.Type;

/**
 * Reads a JSON attribute's text as a record, map or list with Jackson, for the api's record mapping (listed in
 * {@code META-INF/services}). Keys the type has no component for are ignored, as Ash's embedded resources do; a
 * missing key leaves its component null (or zero, for a primitive).
 */
public final class JacksonJsonReader implements JsonReader {
    private static final ObjectMapper MAPPER = new ObjectMapper(StoredJson.factory(false))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final int SHOWN = 200;

    @Override
    public Object read(String json, Type type) {
        try {
            return MAPPER.readValue(json, MAPPER.constructType(type));
        } catch (JsonProcessingException e) {
            String shown = json.length() > SHOWN ? json.substring(0, SHOWN) + "..." : json;
            throw QueryException.of("The JSON " + shown + " cannot be read as " + type.getTypeName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
