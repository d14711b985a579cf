package dev.ashlar.kernel.schema;

import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trigger of {@code timestamps(t -> t.trigger())}: before every update, by Ashlar or by plain SQL, the
 * attributes set to {@code now()} on update get {@code now()} unless the statement changed them itself.
 */
final class TimestampTrigger {
    private TimestampTrigger() {
    }

    static Optional<SchemaObject> of(SchemaContext context) {
        Resource resource = context.resource();
        List<String> columns = resource.attributes().stream().filter(a -> a.column().touchOnUpdate())
                .filter(a -> !resource.tableOptions().migrationIgnore().contains(a.name()))
                .map(Attribute::columnName).toList();
        if (!resource.tableOptions().timestampTrigger() || columns.isEmpty()) {
            return Optional.empty();
        }
        String name = Names.timestampTrigger(resource.table());
        String function = context.objectSql(name);
        StringBuilder body = new StringBuilder();
        for (String column : columns) {
            String quoted = Identifiers.quote(column);
            body.append("  IF NEW.").append(quoted).append(" IS NOT DISTINCT FROM OLD.").append(quoted).append(" THEN\n")
                    .append("    NEW.").append(quoted).append(" := now();\n  END IF;\n");
        }
        String up = "CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS "
                + SqlLiterals.dollarQuoted("touch", "\nBEGIN\n" + body + "  RETURN NEW;\nEND\n") + ";\n"
                + "CREATE TRIGGER " + Identifiers.quote(name) + " BEFORE UPDATE ON " + context.tableSql()
                + " FOR EACH ROW EXECUTE FUNCTION " + function + "();";
        String down = "DROP TRIGGER IF EXISTS " + Identifiers.quote(name) + " ON " + context.tableSql() + ";\n"
                + "DROP FUNCTION IF EXISTS " + function + "();";
        return Optional.of(SchemaObject.builder(name, ObjectKind.TRIGGER)
                .definition(Map.of("sets_now_on_update", columns)).up(up).down(down).build());
    }
}
