package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Discriminator;

import java.util.List;

/** The checks of a resource's {@code discriminator(attribute, value)} when it is built. */
public final class DiscriminatorCheck {
    private DiscriminatorCheck() {
    }

    /**
     * @throws DefinitionException naming the attribute, for one the resource does not have, that is its key or has
     *                             readAs or writeAs, and
     *                             for a value that is neither a {@code String} nor an {@code Integer}
     */
    public static void check(String resource, Discriminator discriminator, List<Attribute> attributes) {
        String name = discriminator.attribute();
        Attribute attribute = attributes.stream().filter(a -> a.name().equals(name)).findFirst()
                .orElseThrow(() -> DefinitionException.of(resource, name, "discriminator(\"" + name + "\", ...) "
                        + "names an attribute resource '" + resource + "' does not have; declare it with "
                        + ".attribute(\"" + name + "\", TEXT) on every kind sharing the table"));
        if (attribute.primaryKey()) {
            throw DefinitionException.of(resource, name, "discriminator(\"" + name + "\", ...) names the primary "
                    + "key; name the attribute holding the kind, e.g. type");
        }
        if (attribute.expressions().any()) {
            // The kind fences each resource's rows: compared through readAs or stored through writeAs, one kind's
            // reads and writes could reach rows another kind wrote.
            throw DefinitionException.of(resource, name, "discriminator(\"" + name + "\", ...) names an attribute "
                    + "with readAs(...) or writeAs(...); the kind is compared as stored: remove them from '" + name
                    + "'");
        }
        if (!(discriminator.value() instanceof String) && !(discriminator.value() instanceof Integer)) {
            throw DefinitionException.of(resource, name, "discriminator(\"" + name + "\", " + discriminator.value()
                    + ") needs a String or an Integer as the kind of resource '" + resource + "'");
        }
    }
}
