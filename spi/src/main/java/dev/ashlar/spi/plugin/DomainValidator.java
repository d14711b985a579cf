package dev.ashlar.spi.plugin;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;

import java.util.List;

/**
 * Checks a whole domain once when it is built, for a plugin whose rules reach resources without its
 * section: the references plugin, which keys every {@code belongsTo}, or a routing plugin configured
 * for every resource. Most plugins need {@link SectionValidator} instead.
 */
public interface DomainValidator {

    /** What is wrong with the domain as this plugin sees it; empty when nothing is. */
    List<DefinitionException.Problem> validate(Domain domain);
}
