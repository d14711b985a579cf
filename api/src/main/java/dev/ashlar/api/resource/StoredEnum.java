package dev.ashlar.api.resource;

/**
 * An enum whose constants are stored by a text of their own rather than by their names (Ebean's {@code @DbEnumValue},
 * a JPA {@code AttributeConverter} for an enum, jOOQ's {@code EnumType.getLiteral()}), for a column that already holds
 * codes such as {@code 'A'} and {@code 'I'}. {@code enumOf(Status.class)} and {@code pgEnum(name, Status.class)} then
 * allow those texts, a constant given in a write or a filter is stored and compared as its text, and a stored text is
 * read back as its constant.
 *
 * <pre>{@code
 * enum Status implements StoredEnum {
 *     ACTIVE("A"), INACTIVE("I");
 *     private final String code;
 *     Status(String code) { this.code = code; }
 *     public String storedValue() { return code; }
 * }
 * }</pre>
 */
public interface StoredEnum {
    /**
     * The text stored for this constant; the domain refuses an enum whose constants give a null, blank or repeated one.
     * It is called once per constant when a type is built and at each write, so it must always return the same text.
     */
    String storedValue();
}
