package dev.ashlar.api.internal;

import dev.ashlar.api.error.AshlarException;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What converting a value for one record component takes, worked out by reflection once per component (when a
 * record's mapping or shape is made) rather than for each value converted.
 *
 * @param type        the component's class
 * @param generic     its generic type ({@code List<Short>})
 * @param boxed       its class, boxed: a value of it goes to the component as it is
 * @param narrowed    the element type of a list an array column reads as another type
 *                    ({@link ValueConversions#narrowedElement}); else null
 * @param jsonElement the element type of a list whose elements are read from JSON text
 *                    ({@link ValueConversions#jsonElement}); else null
 */
public record ComponentType(Class<?> type, java.lang.reflect.Type generic, Class<?> boxed, Class<?> narrowed,
                            java.lang.reflect.Type jsonElement) {

    public static ComponentType of(RecordComponent component) {
        return of(component.getType(), component.getGenericType());
    }

    public static ComponentType of(Class<?> type, java.lang.reflect.Type generic) {
        return new ComponentType(type, generic, ValueConversions.box(type), ValueConversions.narrowedElement(generic),
                ValueConversions.jsonElement(generic));
    }

    /** Whether the value can go to the component as it is, without conversion ({@link ValueConversions#passesAsIs}). */
    public boolean passesAsIs(Object value) {
        return ValueConversions.passesAsIs(value, boxed, jsonElement);
    }

    /** {@link ValueConversions#convert(Object, Class, java.lang.reflect.Type, java.lang.reflect.Type)} to this type. */
    public Object convert(Object value) {
        return ValueConversions.convert(value, type, generic, jsonElement);
    }

    /**
     * The value a row holds, converted for this component (or a bean's property, a constructor's parameter): a list
     * narrowed to its elements' type, JSON text read, a JSON {@code null} taken as a null.
     *
     * @param kind    what takes the value, as messages name it: {@code component}, {@code property}
     * @param name    its name
     * @param json    whether it reads JSON text ({@link ValueConversions#holdsJson}, worked out once)
     * @param failure the error for a problem, which completes a sentence about the mapping, with its cause
     * @throws AshlarException from {@code failure} when the value does not fit, or is null and the type a primitive
     */
    public Object converted(Object value, String kind, String name, boolean json,
                            BiFunction<String, Throwable, AshlarException> failure) {
        if (narrowed != null && value instanceof List<?> list) {
            value = ValueConversions.elements(list, narrowed);
            if (value == null) {
                throw failure.apply(kind + " '" + name + "' (List<" + narrowed.getSimpleName() + ">) cannot take "
                        + "the list " + list + ", an element of which is no " + narrowed.getSimpleName()
                        + " exactly", null);
            }
        }
        if (passesAsIs(value)) {
            return value;
        }
        Object converted;
        try {
            converted = convert(value);
        } catch (AshlarException e) {
            throw failure.apply(kind + " '" + name + "' (" + type.getSimpleName() + "): " + e.getMessage(), e);
        }
        // A JSON attribute holding JSON null reads as null, like a NULL column.
        boolean jsonNull = json && value instanceof String text && text.strip().equals("null");
        if (converted == null && (value != null && !jsonNull || type.isPrimitive())) {
            throw failure.apply(kind + " '" + name + "' (" + type.getSimpleName() + ") cannot take "
                    + (value == null ? "null" : "the " + value.getClass().getSimpleName() + " " + value)
                    + (type.isEnum() && value instanceof String ? ", which is no constant of " + type.getSimpleName()
                    + " " + ValueConversions.storedValues(type) + ": add the constant, or change the stored value"
                    : ""), null);
        }
        return converted;
    }
}
