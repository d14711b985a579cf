package dev.ashlar.api.internal;

import java.lang.reflect.RecordComponent;

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
}
