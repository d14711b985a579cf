package dev.ashlar.spi.plugin;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.util.List;

/**
 * Checks a plugin's own section of a resource when the domain is built. Called only for the
 * resources that carry a section naming this plugin, so an implementation needs no check that the
 * section is there.
 */
public interface SectionValidator {

    /**
     * What is wrong with the plugin's section of this resource; empty when nothing is. Every problem
     * names the resource and field and says how to fix it: the kernel reports all of them at once.
     */
    List<DefinitionException.Problem> validate(Domain domain, Resource resource);
}
