package dev.ashlar.plugins.indexes;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.ErrorMapper;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.SectionValidator;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The custom indexes and custom statements plugin. Acts only on resources that carry a
 * {@link CustomIndexes} or {@link CustomStatements} section:
 *
 * <ul>
 *   <li>{@link #validate} refuses attributes the resource lacks, names over 63 bytes and options that
 *       do not fit together, each problem naming the resource and the index or statement;</li>
 *   <li>{@link #schemaObjects} contributes one object per index (with {@code CREATE INDEX}, or
 *       {@code CREATE INDEX CONCURRENTLY} outside a transaction) and per statement, statements first so
 *       that an extension or function they create can serve the indexes;</li>
 *   <li>{@link #mapError} turns a unique violation of a custom index into field errors with its message.</li>
 * </ul>
 */
public final class IndexesPlugin implements AshlarPlugin, SectionValidator, SchemaContributor, ErrorMapper {
    /** The plugin's id, which its sections name. */
    public static final String ID = "indexes";
    /** The jar that brings it. */
    public static final String ARTIFACT = "dev.ashlar:ashlar-indexes";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Problem> validate(Domain domain, Resource resource) {
        List<Problem> problems = new ArrayList<>();
        resource.extension(CustomIndexes.class).ifPresent(s -> problems.addAll(Validation.indexes(resource, s)));
        resource.extension(CustomStatements.class).ifPresent(s -> problems.addAll(Validation.statements(domain, resource,
                s)));
        return problems;
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        // Statements first: they create what indexes may need (pg_trgm's operator classes, a function an
        // expression calls), and so are dropped after them.
        List<SchemaObject> objects = new ArrayList<>();
        context.resource().extension(CustomStatements.class).ifPresent(section ->
                section.statements().forEach(statement -> objects.add(IndexSql.statement(statement, context))));
        context.resource().extension(CustomIndexes.class).ifPresent(section ->
                section.indexes().forEach(index -> objects.add(IndexSql.index(index, context))));
        return objects;
    }

    @Override
    public Optional<AshlarException> mapError(DatabaseError error, QueryContext context) {
        return UniqueViolations.map(error, context);
    }
}
