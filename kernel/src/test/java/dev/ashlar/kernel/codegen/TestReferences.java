package dev.ashlar.kernel.codegen;

import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A minimal foreign-key plugin for the engine's tests: one key per belongs-to, depending on the key it references. */
final class TestReferences implements AshlarPlugin, SchemaContributor {
    @Override
    public String id() {
        return "test-references";
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        List<SchemaObject> keys = new ArrayList<>();
        for (var relationship : context.resource().relationships()) {
            if (relationship instanceof BelongsTo belongsTo) {
                Resource destination = context.domain().resource(belongsTo.destination());
                String name = Names.foreignKey(context.resource().table(), belongsTo.attribute());
                Ddl.AlterTable table = Ddl.alterTable(context.tableSql());
                keys.add(SchemaObject.builder(name, ObjectKind.FOREIGN_KEY)
                        .definition(Map.of("column", belongsTo.attribute(), "references", destination.table(),
                                "referenced_column", belongsTo.destinationAttribute()))
                        .up(table.addConstraint(name, "FOREIGN KEY (" + Identifiers.quote(belongsTo.attribute())
                                + ") REFERENCES " + context.tableSql(destination) + " ("
                                + Identifiers.quote(belongsTo.destinationAttribute()) + ")"))
                        .down(table.dropConstraint(name))
                        .dependsOn(context.uniqueKeyObject(destination, List.of(belongsTo.destinationAttribute()))
                                .stream().toList())
                        .build());
            }
        }
        return keys;
    }
}
