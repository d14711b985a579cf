package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.kernel.diff.MigrationStep.AlterCompositeType;
import dev.ashlar.kernel.diff.MigrationStep.CreateCompositeType;
import dev.ashlar.kernel.diff.MigrationStep.DropCompositeType;
import dev.ashlar.kernel.schema.CompositeType;
import dev.ashlar.kernel.schema.CompositeTypes;
import dev.ashlar.kernel.schema.CompositeTypes.Placed;
import dev.ashlar.kernel.schema.Table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The steps between the composite types of the snapshots' tables and of the desired ones: a new type is created, a
 * type no column uses any more is dropped, and fields are added or dropped in place. Values are read and written by
 * position, and PostgreSQL adds a field last and cannot change the type of a field a column holds, so a change that
 * would move or retype a field is refused, saying what to do instead.
 *
 * @param created types to create, before the tables
 * @param altered types whose fields change, before the tables too
 * @param dropped types to drop, after the tables and columns that used them
 */
record CompositeTypeSteps(List<MigrationStep> created, List<MigrationStep> altered, List<MigrationStep> dropped) {

    CompositeTypeSteps {
        created = List.copyOf(created);
        altered = List.copyOf(altered);
        dropped = List.copyOf(dropped);
    }

    static CompositeTypeSteps diff(Collection<Table> previous, List<Table> desired) {
        Map<String, Placed> before = CompositeTypes.of(previous);
        Map<String, Placed> after = CompositeTypes.of(desired);
        List<MigrationStep> created = new ArrayList<>();
        List<MigrationStep> altered = new ArrayList<>();
        after.forEach((key, type) -> {
            Placed old = before.get(key);
            if (old == null) {
                created.add(new CreateCompositeType(type));
            } else if (!old.type().equals(type.type())) {
                refuseMovedOrRetyped(old.type(), type);
                altered.add(new AlterCompositeType(type, old.type()));
            }
        });
        List<MigrationStep> dropped = before.entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                .map(e -> (MigrationStep) new DropCompositeType(e.getValue())).toList();
        return new CompositeTypeSteps(created, altered, dropped);
    }

    /** The fields both have keep their order and type, and the new ones come after them. */
    private static void refuseMovedOrRetyped(CompositeType old, Placed type) {
        List<CompositeType.Field> kept = type.type().fields().stream().filter(f -> old.field(f.name()) != null)
                .toList();
        List<CompositeType.Field> wereKept = old.fields().stream().filter(f -> type.type().field(f.name()) != null)
                .toList();
        if (!kept.equals(wereKept) || !type.type().fields().subList(0, kept.size()).equals(kept)) {
            throw DefinitionException.of(type.table().resource(), type.column().attributeName(), "Composite type "
                    + type.sql() + " of " + type.owner() + " had fields " + old.fields() + " and now declares "
                    + type.type().fields() + ": PostgreSQL can add a field (last) and drop one, but cannot move a "
                    + "field or change its type while a column holds the type. Keep the old fields in their order "
                    + "and types, declare new record components last, and give a field of a new type a new name; "
                    + "or name a new type, e.g. composite(\"" + old.name() + "_v2\", ...), and move the data yourself");
        }
    }
}
