package dev.ashlar.api.resource;

/**
 * The kind of record a resource holds in a table it shares with other kinds (Hibernate's single-table inheritance,
 * {@code @DiscriminatorColumn} and {@code @DiscriminatorValue}), set with
 * {@link ResourceBuilder#discriminator(String, Object)}: every read and every write of the resource reaches only the
 * rows whose attribute holds the value, and every record it creates is given the value.
 *
 * @param attribute the attribute holding the kind, e.g. {@code type}
 * @param value     the kind of this resource's records, a {@code String} or an {@code Integer}
 */
public record Discriminator(String attribute, Object value) {
}
