package dev.ashlar.plugins.relationships;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.RelationshipProvider;
import dev.ashlar.spi.plugin.SectionValidator;
import dev.ashlar.spi.plugin.CustomRelationship;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.spi.plugin.LoadContext;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Manual relationships, as AshPostgres has them: relationships whose records your code finds. Acts
 * only on resources that carry a {@link ManualRelationships} section; the kernel then loads them in
 * batches (one loader call per level) and, when they have a join, filters and sorts by them.
 */
public final class ManualRelationshipsPlugin implements AshlarPlugin, SectionValidator, RelationshipProvider {
    static final String ID = "relationships";
    static final String ARTIFACT = "dev.ashlar:ashlar-relationships";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Problem> validate(Domain domain, Resource resource) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Manual manual : manuals(resource)) {
            if (!names.add(manual.name()) || resource.attribute(manual.name()).isPresent()
                    || resource.relationship(manual.name()).isPresent()) {
                problems.add(new Problem(resource.name(), manual.name(), "is the name of another attribute or "
                        + "relationship of the resource; give the manual relationship a name of its own"));
            }
            if (domain.find(manual.destination()).isEmpty()) {
                problems.add(new Problem(resource.name(), manual.name(), "points at '" + manual.destination()
                        + "', which is not a resource of the domain"));
            }
            if (manual.sourceAttribute() == null && resource.primaryKey().size() != 1) {
                problems.add(new Problem(resource.name(), manual.name(), "needs a source attribute to key its "
                        + "loader's answer, as the resource has no single-column primary key; e.g. "
                        + ".sourceAttribute(\"id\")"));
            } else if (manual.sourceAttribute() != null && resource.attribute(manual.sourceAttribute()).isEmpty()) {
                problems.add(new Problem(resource.name(), manual.name(), "keys its loader's answer by '"
                        + manual.sourceAttribute() + "', which is not an attribute of the resource"));
            }
        }
        return problems;
    }

    @Override
    public List<CustomRelationship> relationships(Domain domain, Resource resource) {
        List<CustomRelationship> relationships = new ArrayList<>();
        for (Manual manual : manuals(resource)) {
            String key = manual.sourceAttribute() != null ? manual.sourceAttribute()
                    : resource.primaryKey().stream().map(Attribute::name).findFirst().orElseThrow();
            relationships.add(new Bound(manual, key));
        }
        return relationships;
    }

    private static List<Manual> manuals(Resource resource) {
        return resource.extension(ManualRelationships.class).map(ManualRelationships::relationships).orElse(List.of());
    }

    /** A declared manual relationship, as the kernel's contract sees it. */
    private record Bound(Manual manual, String sourceAttribute) implements CustomRelationship {
        @Override
        public String name() {
            return manual.name();
        }

        @Override
        public String destination() {
            return manual.destination();
        }

        @Override
        public boolean many() {
            return manual.many();
        }

        @Override
        public Map<Object, List<Row>> load(List<Row> parents, LoadContext context) {
            return manual.code().load(parents, context);
        }

        @Override
        public Optional<Join> join(Query source, Query destination) {
            return manual.code().join(source, destination);
        }
    }
}
