package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.internal.CustomExtensionsCheck;
import dev.ashlar.api.internal.DomainOptionsCheck;
import dev.ashlar.api.internal.DomainResolver;
import dev.ashlar.api.internal.Polymorphism;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named set of resources whose relationships are resolved and checked together. Building a
 * domain adds the key attributes of belongs-to relationships, fills in relationship defaults, and
 * rejects every invalid definition at once with a {@link DefinitionException} that names each
 * resource and field and how to fix it.
 *
 * <pre>{@code
 * Domain blog = Domain.builder("blog").resource(user).resource(post).resource(comment).build();
 * }</pre>
 */
public final class Domain {
    private final String name;
    private final Map<String, Resource> resources;
    private final List<String> extensions;
    private final List<CustomExtension> customExtensions;
    private final Integer minimumPostgresVersion;
    private final Map<String, List<String>> polymorphicTables;

    private Domain(String name, Map<String, Resource> resources, List<String> extensions,
                   List<CustomExtension> customExtensions, Integer minimumPostgresVersion,
                   Map<String, List<String>> polymorphicTables) {
        this.name = name;
        this.resources = Collections.unmodifiableMap(new LinkedHashMap<>(resources));
        this.polymorphicTables = Collections.unmodifiableMap(new LinkedHashMap<>(polymorphicTables));
        this.extensions = List.copyOf(extensions);
        this.customExtensions = List.copyOf(customExtensions);
        this.minimumPostgresVersion = minimumPostgresVersion;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /**
     * The resolved resources, in the order they were added; a polymorphic resource is there once per table, named
     * {@link Resource#inTable(String, String)}.
     */
    public List<Resource> resources() {
        return List.copyOf(resources.values());
    }

    public Optional<Resource> find(String resourceName) {
        return Optional.ofNullable(resources.get(resourceName));
    }

    /**
     * The resolved resource of that name.
     *
     * @throws DefinitionException naming the known resources when there is none
     */
    public Resource resource(String resourceName) {
        Resource resource = resources.get(resourceName);
        if (resource == null) {
            String polymorphic = polymorphicProblem(resourceName);
            throw DefinitionException.of(resourceName, null, polymorphic != null ? polymorphic
                    : "no such resource in domain '" + name + "'; it has " + resources.keySet());
        }
        return resource;
    }

    /**
     * The tables a polymorphic resource lives in, in the order its declaration and the relationships to it name
     * them; empty when the domain has no polymorphic resource of that name.
     */
    public Optional<List<String>> polymorphicTables(String resourceName) {
        return Optional.ofNullable(polymorphicTables.get(Resource.withoutTable(resourceName)));
    }

    /**
     * Why a name that reaches no resource does not reach one of a polymorphic resource's tables, saying how to name
     * one; {@code null} when the name is no polymorphic resource's.
     */
    public String polymorphicProblem(String resourceName) {
        String base = Resource.withoutTable(resourceName);
        List<String> tables = polymorphicTables.get(base);
        Resource own = resources.get(base);
        if (tables == null && own != null && !base.equals(resourceName)) {
            return "Resource '" + base + "' is not polymorphic: it lives in its own table '" + own.table() + "' "
                    + "alone, so no action on it names a table; leave the table out";
        }
        if (tables == null) {
            return null;
        }
        String example = "ashlar.read(\"" + base + "\").table(\"" + tables.get(0) + "\") or Resource.inTable(\""
                + base + "\", \"" + tables.get(0) + "\")";
        if (base.equals(resourceName)) {
            return "Resource '" + base + "' is polymorphic: it has no table of its own, so every action on it names "
                    + "one of its tables " + tables + ", e.g. " + example;
        }
        return "Resource '" + base + "' is polymorphic, and '" + resourceName.substring(base.length() + 1)
                + "' is not one of its tables " + tables + ": name one of them, e.g. " + example + ", or declare "
                + "the table with .polymorphic(...) or a relationship's r -> r.table(...)";
    }

    /** The PostgreSQL extensions the domain needs, installed by the first migration that needs them. */
    public List<String> extensions() {
        return extensions;
    }

    /** The application's own versioned extensions, in the order given; see {@link CustomExtension}. */
    public List<CustomExtension> customExtensions() {
        return customExtensions;
    }

    /** The oldest PostgreSQL major version the domain must run on, if one was set; codegen refuses newer features. */
    public Optional<Integer> minimumPostgresVersion() {
        return Optional.ofNullable(minimumPostgresVersion);
    }

    @Override
    public String toString() {
        return "Domain[" + name + ", " + resources.keySet() + "]";
    }

    /** Collects resources; {@link #build()} resolves and validates them. */
    public static final class Builder {
        private final String name;
        private final List<Resource> resources = new ArrayList<>();
        private final List<String> extensions = new ArrayList<>();
        private final List<CustomExtension> customExtensions = new ArrayList<>();
        private Integer minimumPostgresVersion;

        private Builder(String name) {
            this.name = name;
        }

        public Builder resource(Resource resource) {
            resources.add(resource);
            return this;
        }

        public Builder resources(Resource... more) {
            resources.addAll(DefinitionException.requiredEach(more, "resource"));
            return this;
        }

        /**
         * PostgreSQL extensions the domain needs, e.g. {@code extensions("citext", "pg_trgm", "uuid-ossp", "vector")}:
         * the first migration that needs them runs {@code CREATE EXTENSION IF NOT EXISTS} before its tables, and
         * the snapshots record them. Adds to those given before.
         */
        public Builder extensions(String... names) {
            extensions.addAll(DefinitionException.requiredEach(names, "extension"));
            return this;
        }

        /**
         * Versioned extensions of the application's own (AshPostgres's custom extensions in
         * {@code installed_extensions}): codegen installs each, and upgrades it when its latest version grows, before
         * the tables. Adds to those given before.
         */
        public Builder customExtensions(CustomExtension... more) {
            customExtensions.addAll(DefinitionException.requiredEach(more, "custom extension"));
            return this;
        }

        /**
         * The oldest PostgreSQL major version the domain must run on (13 or later): codegen refuses a feature
         * that needs a newer one, naming the resource and the feature, instead of writing a migration that
         * would fail on that server.
         */
        public Builder minimumPostgresVersion(int majorVersion) {
            this.minimumPostgresVersion = majorVersion;
            return this;
        }

        /** @throws DefinitionException listing every problem found */
        public Domain build() {
            Polymorphism.Expansion expansion = Polymorphism.expand(name, resources);
            Map<String, Resource> resolved;
            try {
                resolved = new DomainResolver(name, expansion.resources()).resolve();
                DomainOptionsCheck.check(name, resolved.values(), extensions, minimumPostgresVersion);
                CustomExtensionsCheck.check(name, extensions, customExtensions);
            } catch (DefinitionException refused) {
                throw expansion.tables().isEmpty() ? refused : Polymorphism.underDeclaredNames(name, refused);
            }
            return new Domain(name, resolved, extensions.stream().distinct().toList(), customExtensions,
                    minimumPostgresVersion, expansion.tables());
        }
    }
}
