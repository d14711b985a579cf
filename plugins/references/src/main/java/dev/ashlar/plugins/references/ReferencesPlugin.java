package dev.ashlar.plugins.references;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.DomainValidator;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Foreign keys. Installing this plugin gives every belongs-to relationship a database key, as
 * AshPostgres does; a resource's {@link References} section changes a key's options or opts a
 * relationship out with {@link Reference#ignore()}. This is the one place where a plugin acts on
 * resources without a section of theirs: a belongs-to asks for a key by being a belongs-to.
 *
 * <p>Keys depend on the referenced primary key or identity, so the kernel creates them after every
 * table and unique index exists (cycles of belongs-to included) and drops them first. A violation
 * becomes a field error: "post does not exist" on the relationship, or "would leave comment records
 * behind" when a delete is refused.
 */
public final class ReferencesPlugin implements AshlarPlugin, DomainValidator, SchemaContributor, ErrorMapper {

    @Override
    public String id() {
        return References.PLUGIN;
    }

    @Override
    public List<Problem> validate(Domain domain) {
        List<Problem> problems = new ArrayList<>();
        for (Resource resource : domain.resources()) {
            problems.addAll(ReferenceRules.check(domain, resource));
        }
        return problems;
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        List<SchemaObject> objects = new ArrayList<>();
        List<ForeignKey> keys = new ArrayList<>(ForeignKey.of(context.domain(), context.resource()));
        ForeignKey.toSources(context.domain(), context.resource()).stream()
                .filter(key -> reachable(context, key)).forEach(keys::add);
        for (ForeignKey declared : keys) {
            ForeignKey key = declared.inTenant(context);
            ReferenceRules.requireFullMatch(context, key);
            objects.add(ForeignKeySql.constraint(context, key));
            if (key.options().index()) {
                objects.add(ForeignKeySql.index(context, key));
            }
        }
        return objects;
    }

    /**
     * Whether the table can hold a key to the source: a main table cannot reference a table that exists only in
     * tenant schemas, which {@link SchemaContext#tableSql(Resource)} names without a schema. A belongs-to that would
     * is refused when the domain is built; a polymorphic table named by a tenant resource simply has no such key.
     */
    private static boolean reachable(SchemaContext context, ForeignKey key) {
        return context.scope() != Scope.MAIN || context.tableSql(key.destination()).contains("\".\"");
    }

    @Override
    public Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
        return ReferenceErrors.map(error, context);
    }
}
