package dev.ashlar.kernel.codegen;

import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
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
                keys.add(new SchemaObject(name, "foreign_key",
                        Map.of("column", belongsTo.attribute(), "references", destination.table(),
                                "referenced_column", belongsTo.destinationAttribute()),
                        "ALTER TABLE " + context.tableSql() + " ADD CONSTRAINT " + Identifiers.quote(name)
                                + " FOREIGN KEY (" + Identifiers.quote(belongsTo.attribute()) + ") REFERENCES "
                                + context.tableSql(destination) + " (" + Identifiers.quote(belongsTo.destinationAttribute())
                                + ");",
                        "ALTER TABLE " + context.tableSql() + " DROP CONSTRAINT " + Identifiers.quote(name) + ";",
                        context.uniqueKeyObject(destination, List.of(belongsTo.destinationAttribute())).stream().toList(),
                        true, null));
            }
        }
        return keys;
    }
}
