package dev.ashlar.api.internal;

import dev.ashlar.api.error.QueryException;

import java.lang.reflect.Type;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Reads the text of a JSON attribute as a Java record, map or list. The api depends on the JDK alone, so the kernel
 * provides the reader (with Jackson), found once through {@link ServiceLoader}.
 */
public interface JsonReader {

    /**
     * The JSON text as a value of the type (a record, a {@code Map}, a {@code List}, with their type arguments).
     *
     * @throws dev.ashlar.api.error.AshlarException when the text is not JSON or does not fit the type
     */
    Object read(String json, Type type);

    /**
     * Whether {@code type} is the reader's own tree of JSON (Jackson's {@code JsonNode}), which a component reads a
     * JSON attribute into as it reads a record; false unless the reader says so.
     */
    default boolean readsTree(Class<?> type) {
        return false;
    }

    /** The reader the kernel provides. */
    static JsonReader get() {
        return Holder.READER;
    }

    /** Loads the reader on first use. */
    final class Holder {
        private static final JsonReader READER = load();

        private Holder() {
        }

        private static JsonReader load() {
            Iterator<JsonReader> found = ServiceLoader.load(JsonReader.class, JsonReader.class.getClassLoader())
                    .iterator();
            if (!found.hasNext()) {
                return (json, type) -> {
                    throw QueryException.of("Reading JSON as " + type.getTypeName() + " needs the Ashlar kernel on "
                            + "the class path; read the JSON attribute as a String instead");
                };
            }
            return found.next();
        }
    }
}
