package dev.ashlar.kernel.plugin;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.spi.plugin.SectionValidator;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Extension;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.api.sql.Identifiers;

import java.util.List;
import java.util.Map;

/**
 * A plugin as a third party writes one, against the SPI only: resources that carry a
 * {@link Touch} section get a trigger that sets a timestamp column on every update.
 * Listed in this module's test {@code META-INF/services}.
 */
public final class TouchPlugin implements AshlarPlugin, SectionValidator, SchemaContributor {

    /** The plugin's DSL section: {@code .with(TouchPlugin.touch("updated_at"))}. */
    public record Touch(String column) implements Extension {
        @Override
        public String plugin() {
            return "touch";
        }

        @Override
        public String artifact() {
            return "com.example:ashlar-touch";
        }
    }

    public static Touch touch(String column) {
        return new Touch(column);
    }

    @Override
    public String id() {
        return "touch";
    }

    /** Called only for resources that carry a {@link Touch} section. */
    @Override
    public List<Problem> validate(Domain domain, Resource resource) {
        Touch touch = resource.extension(Touch.class).orElseThrow();
        return resource.attribute(touch.column()).isPresent() ? List.of() : List.of(new Problem(resource.name(),
                touch.column(), "is touched on update but is not an attribute of the resource"));
    }

    @Override
    public List<SchemaObject> schemaObjects(SchemaContext context) {
        return context.resource().extension(Touch.class).map(touch -> {
            String table = context.resource().table();
            String function = Identifiers.quote(table + "_touch");
            String trigger = Identifiers.quote(table + "_touch_trigger");
            String column = Identifiers.quote(touch.column());
            return List.of(SchemaObject.builder(table + "_touch_trigger", ObjectKind.TRIGGER)
                    .definition(Map.of("column", touch.column()))
                    .up("CREATE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                            + "BEGIN NEW." + column + " := clock_timestamp(); RETURN NEW; END $$;\n"
                            + "CREATE TRIGGER " + trigger + " BEFORE UPDATE ON " + context.tableSql()
                            + " FOR EACH ROW EXECUTE FUNCTION " + function + "();")
                    .down("DROP TRIGGER " + trigger + " ON " + context.tableSql() + ";\nDROP FUNCTION " + function
                            + "();")
                    .build());
        }).orElse(List.of());
    }
}
