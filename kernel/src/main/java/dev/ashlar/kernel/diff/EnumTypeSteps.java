package dev.ashlar.kernel.diff;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.kernel.diff.MigrationStep.AddEnumLabels;
import dev.ashlar.kernel.diff.MigrationStep.CreateEnumType;
import dev.ashlar.kernel.diff.MigrationStep.DropEnumType;
import dev.ashlar.kernel.diff.MigrationStep.MoveEnumType;
import dev.ashlar.kernel.schema.EnumType;
import dev.ashlar.kernel.schema.NativeEnums;
import dev.ashlar.kernel.schema.NativeEnums.Placed;
import dev.ashlar.kernel.schema.Table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The steps between the native enum types of the snapshots' tables and of the desired ones: a new type is created,
 * a type no column uses any more is dropped, and labels are added in place. PostgreSQL can neither remove nor
 * reorder the labels of a type, so a change that would is refused, saying how to move to a new type instead.
 * A type whose every column moved with its table to another schema moves along ({@code ALTER TYPE ... SET SCHEMA}):
 * the columns keep the type they are stored in, so no row is converted or rewritten.
 *
 * @param created  types to create or move, before the tables
 * @param labelled labels to add, before the tables too, as a default or a check may name them
 * @param dropped  types to drop, after the tables and columns that used them
 * @param moved    the types moved, as SQL: the name the snapshots give the columns' type, to the name it takes
 */
record EnumTypeSteps(List<MigrationStep> created, List<MigrationStep> labelled, List<MigrationStep> dropped,
                     Map<String, String> moved) {

    EnumTypeSteps {
        created = List.copyOf(created);
        labelled = List.copyOf(labelled);
        dropped = List.copyOf(dropped);
        moved = Map.copyOf(moved);
    }

    /** The type a column of the snapshots is stored in, under the name it has once the moved types moved. */
    String afterMoves(String type) {
        return moved.getOrDefault(type, type);
    }

    static EnumTypeSteps diff(Collection<Table> previous, List<Table> desired) {
        Map<String, Placed> before = new LinkedHashMap<>(NativeEnums.of(previous));
        Map<String, Placed> after = NativeEnums.of(desired);
        List<MigrationStep> created = new ArrayList<>();
        List<MigrationStep> labelled = new ArrayList<>();
        Map<String, String> moved = new LinkedHashMap<>();
        after.forEach((key, type) -> {
            Placed old = before.get(key);
            if (old == null) {
                old = movedFrom(before, after, type);
                if (old == null) {
                    created.add(new CreateEnumType(type));
                    return;
                }
                before.remove(old.key());
                created.add(new MoveEnumType(old, type));
                moved.put(old.sql(), type.sql());
            }
            labelled.addAll(labels(old.type(), type));
        });
        List<MigrationStep> dropped = before.entrySet().stream().filter(e -> !after.containsKey(e.getKey()))
                .map(e -> (MigrationStep) new DropEnumType(e.getValue())).toList();
        return new EnumTypeSteps(created, labelled, dropped, moved);
    }

    /**
     * The type of the same name in another schema that no column uses any more and that can become {@code type} by
     * adding labels, or null: its columns moved with their table, and the type can follow them.
     */
    private static Placed movedFrom(Map<String, Placed> before, Map<String, Placed> after, Placed type) {
        return before.values().stream().filter(old -> !after.containsKey(old.key()))
                .filter(old -> old.table().scope() == type.table().scope()
                        && !Objects.equals(old.table().schema(), type.table().schema())
                        && old.type().name().equals(type.type().name()) && old.type().growsInto(type.type()))
                .findFirst().orElse(null);
    }

    private static List<MigrationStep> labels(EnumType old, Placed type) {
        if (!old.growsInto(type.type())) {
            throw refusal(old, type);
        }
        return old.equals(type.type()) ? List.of() : List.of(new AddEnumLabels(type, old));
    }

    private static DefinitionException refusal(EnumType old, Placed type) {
        return DefinitionException.of(type.table().resource(), type.column().attributeName(), "Enum type "
                + type.sql() + " of " + type.owner() + " had labels " + old.labels() + " and now lists "
                + type.type().labels() + ": PostgreSQL cannot remove or reorder the labels of an enum type, only add "
                + "them. Keep the old labels in their order (new ones may go anywhere), or name a new type with the "
                + "new labels, e.g. pgEnum(\"" + old.name() + "_v2\", ...): codegen then creates it, converts the "
                + "column through text (the migration fails on a row holding a label the new type lacks; change "
                + "those rows first) and drops the old type");
    }
}
