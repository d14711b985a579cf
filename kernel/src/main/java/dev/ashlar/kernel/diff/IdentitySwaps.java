package dev.ashlar.kernel.diff;

import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;
import dev.ashlar.kernel.diff.MigrationStep.AddObject;
import dev.ashlar.kernel.diff.MigrationStep.DropObject;
import dev.ashlar.kernel.diff.MigrationStep.RenameObject;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.List;

/**
 * An identity whose unique index changes on a table that stays (other fields, a predicate) is enforced all along:
 * instead of dropping the old index concurrently and building the new one after (rows breaking either could be
 * written in between), the new index is built concurrently under a name of its own, the old one is dropped
 * concurrently, and the new one takes its name ({@code ALTER INDEX ... RENAME TO}, a brief lock). Undone the other
 * way round: the name goes back, the old index is built again concurrently, the new one dropped. When a column of the
 * table changes between the two (the old index may not survive it), the drop and the build stay as they were.
 */
final class IdentitySwaps {
    private static final String CREATE = "CREATE UNIQUE INDEX CONCURRENTLY ";

    private IdentitySwaps() {
    }

    /** @param steps the steps on existing tables, with their concurrent forms already chosen */
    static List<MigrationStep> of(List<MigrationStep> steps) {
        List<MigrationStep> ordered = new ArrayList<>(steps);
        for (int at = 0; at < ordered.size(); at++) {
            if (ordered.get(at) instanceof AddObject add && built(add)) {
                int drop = droppedBefore(ordered, add, at);
                if (drop >= 0 && ordered.subList(drop + 1, at).stream().allMatch(step -> apart(step, add))) {
                    DropObject old = (DropObject) ordered.remove(drop);
                    at--;
                    SchemaObject next = next(add);
                    ordered.set(at, new AddObject(add.table(), next));
                    ordered.add(at + 1, old);
                    ordered.add(at + 2, new RenameObject(add.table(), next, add.object()));
                    at += 2;
                }
            }
        }
        return ordered;
    }

    /**
     * Whether a step may run while the old index is still there: one that changes a column of the table (its type,
     * which the old predicate may compare) needs the old index gone first, and then the plain drop and build stay.
     */
    private static boolean apart(MigrationStep step, AddObject add) {
        return step.table() == null || !step.table().key().equals(add.table().key()) || step instanceof AddObject
                || step instanceof DropObject;
    }

    /** An identity's index built concurrently, in the form this class can build under another name. */
    private static boolean built(AddObject add) {
        return add.object().kind().equals(ObjectKind.IDENTITY) && !add.transactional()
                && add.object().up().startsWith(CREATE + Identifiers.quote(add.object().name()) + " ON ");
    }

    /** The index of the concurrent drop of the same index on the same table before {@code at}, or -1. */
    private static int droppedBefore(List<MigrationStep> steps, AddObject add, int at) {
        for (int i = at - 1; i >= 0; i--) {
            if (steps.get(i) instanceof DropObject drop && !drop.transactional()
                    && drop.table().key().equals(add.table().key())
                    && drop.object().name().equals(add.object().name())) {
                return i;
            }
        }
        return -1;
    }

    /** The new index under the name it has until the old one is gone. */
    private static SchemaObject next(AddObject add) {
        String name = Names.nextIndex(add.object().name());
        String rest = add.object().up().substring((CREATE + Identifiers.quote(add.object().name())).length());
        String sql = Identifiers.qualify(add.table().scope() == Scope.MAIN ? add.table().schema() : null, name);
        return SchemaObject.builder(name, ObjectKind.IDENTITY).definition(add.object().definition())
                .up(CREATE + Identifiers.quote(name) + rest).down(Ddl.dropIndexConcurrently(sql))
                .dependsOn(add.object().dependsOn()).requires(add.object().requires()).nonTransactional().build();
    }
}
