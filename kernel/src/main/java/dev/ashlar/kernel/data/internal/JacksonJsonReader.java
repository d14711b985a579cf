package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
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
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).registerModule(EmbeddedValues.module());
    private static final int SHOWN = 200;
    private static final int MAX_DEPTH = StreamReadConstraints.defaults().getMaxNestingDepth();

    @Override
    public boolean readsTree(Class<?> type) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public Object read(String json, Type type) {
        try {
            return MAPPER.readValue(json, MAPPER.constructType(type));
        } catch (StreamConstraintsException e) {
            // jsonb nests up to the server's stack depth; a tree or a record is built by recursion, one level a call.
            throw QueryException.of("The JSON nests deeper than " + MAX_DEPTH + " levels, the most it is read into "
                    + "a " + type.getTypeName() + " with (" + e.getOriginalMessage() + "): read the attribute as a "
                    + "String (its text, as stored), or keep the stored value shallower", e);
        } catch (JsonProcessingException e) {
            String shown = json.length() > SHOWN ? json.substring(0, SHOWN) + "..." : json;
            // The path names the component of the embedded record (and the element of a list) that did not fit.
            String path = e instanceof JsonMappingException mapping ? JsonCodec.path(mapping.getPath()) : "";
            throw QueryException.of("The JSON " + shown + " cannot be read as " + type.getTypeName()
                    + (path.isEmpty() ? "" : ": its component '" + path + "'") + ": " + e.getOriginalMessage(), e);
        }
    }
}
