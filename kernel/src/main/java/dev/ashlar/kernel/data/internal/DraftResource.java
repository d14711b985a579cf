package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.DraftableCheck;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Default;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.TableOptions;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.List;

/**
 * A draftable resource's drafts as a resource of their own: the same attributes, relationships, filters and tenancy,
 * in {@code <table>_draft}, named {@code post@posts_draft} ({@link Resource#inTable}) so that the rows read there
 * carry the name, and updating or destroying them reaches the draft table again. It adds the flag
 * {@code draft_dirty}, which the draft table's trigger sets; the data layer reads it like any attribute.
 */
public final class DraftResource {
    private DraftResource() {
    }

    /** The name under which the resource's drafts are read and written. */
    static String name(Resource live) {
        return Resource.inTable(live.name(), Names.draftTable(live.table()));
    }

    /** The drafts of a draftable resource, as a resource in its draft table. */
    static Resource of(Resource live) {
        List<Attribute> attributes = new ArrayList<>(live.attributes());
        attributes.addAll(live.tableOptions().draftOnly());
        attributes.add(new Attribute(DraftableCheck.DIRTY, Type.BOOLEAN, false, false, false, Default.sql("true")));
        attributes.add(new Attribute(DraftableCheck.LIVE, Type.BOOLEAN, false, false, false, Default.sql("false")));
        return new Resource(name(live), Names.draftTable(live.table()), live.schema(), attributes, live.identities(),
                live.relationships(), live.extensions(), undraftable(live.tableOptions()), live.knownConstraints(),
                live.baseFilter(), live.aggregates(), live.calculations(), live.optimisticLock(), live.authorship(),
                live.softDelete(), live.softDeleteClears());
    }

    /** The drafts have no drafts of their own; they hold the same kind of record as the resource. */
    private static TableOptions undraftable(TableOptions options) {
        return new TableOptions(options.migrated(), options.createTableOptions(), options.migrationIgnore(),
                options.timestampTrigger(), options.polymorphic(), options.polymorphicTables(), false, false,
                List.of(), options.readOnly(), options.discriminator());
    }

    /**
     * What publishing and restoring a draftable resource need to know of it.
     *
     * @param live   the resource's name
     * @param drafts the name of its drafts ({@code post@posts_draft})
     * @param reset  the attributes a published or restored draft loses
     * @param key    the attributes of its primary key
     * @param draftOnly the attributes stored only in drafts, which publish leaves behind
     * @param unseenVersion the lock version named only on {@code Ashlar.builder().optimisticLock(...)}, which the
     *                      migration, and so the dirty flag's trigger, does not know; null when there is none
     * @param elements  the relationships whose records are published and restored with this resource's
     *                  ({@code draftElement()})
     * @param liveWritesRefused whether writes of the table other than publish's are refused ({@code refuseLiveWrites()})
     * @param liveTable the resource's table
     * @param uncompared the columns left out when a published draft is compared with the record it overwrites: the
     *                   flags, the columns stored only in drafts, and those an update writes by itself (a lock
     *                   version, {@code touchOnUpdate()} ones)
     */
    public record Drafted(String live, String drafts, List<String> reset, List<String> key, String unseenVersion,
                          List<String> draftOnly, List<Element> elements, boolean liveWritesRefused, String liveTable,
                          List<String> uncompared) {
        public Drafted {
            elements = List.copyOf(elements);
            uncompared = List.copyOf(uncompared);
        }

        /**
         * The same drafts with the lock version the migration does not know: {@code version} its attribute,
         * {@code column} its column, left out of the comparison as the other {@link #uncompared} columns are.
         */
        Drafted withUnseenVersion(String version, String column) {
            List<String> left = new ArrayList<>(uncompared);
            left.add(column);
            return new Drafted(live, drafts, reset, key, version, draftOnly, elements, liveWritesRefused, liveTable,
                    left);
        }

        /** The draft table, as {@code drafts} names it after the resource ({@code posts_draft}). */
        public String table() {
            return drafts.substring(drafts.indexOf(Resource.TABLE_SEPARATOR) + 1);
        }
    }

    /**
     * A relationship whose records are elements of a draft ({@code draftElement()}): the destination's records whose
     * {@code destinationAttribute} holds the record's {@code sourceAttribute}.
     */
    public record Element(String relationship, String destination, String sourceAttribute,
                          String destinationAttribute) {
    }

    /**
     * The resource's drafts.
     *
     * @throws QueryException naming the resource and the option, for one that is not draftable
     */
    static Drafted checked(Resource live, String action) {
        if (!live.name().equals(Resource.withoutTable(live.name()))) {
            throw QueryException.of(live.name(), null, action + " on '" + live.name() + "' is refused: it names a "
                    + "table already; name the resource alone, e.g. '" + Resource.withoutTable(live.name()) + "'");
        }
        if (!live.tableOptions().draftable()) {
            throw QueryException.of(live.name(), null, action + " on resource '" + live.name() + "' is refused: it "
                    + "has no drafts. Declare it with .draftable() on its resource builder and generate a migration, "
                    + "which creates " + Names.draftTable(live.table()) + " beside " + live.table());
        }
        return new Drafted(live.name(), name(live), live.tableOptions().draftReset(),
                live.attributes().stream().filter(Attribute::primaryKey).map(Attribute::name).toList(), null,
                live.tableOptions().draftOnly().stream().map(Attribute::name).toList(), elements(live),
                live.tableOptions().liveWritesRefused(), live.table(), uncompared(live));
    }

    /** {@link Drafted#uncompared}, as the dirty flag's trigger leaves them out ({@code DraftTables}). */
    private static List<String> uncompared(Resource live) {
        List<String> columns = new ArrayList<>(List.of(DraftableCheck.DIRTY, DraftableCheck.LIVE));
        live.tableOptions().draftOnly().forEach(attribute -> columns.add(attribute.columnName()));
        live.attributes().stream().filter(a -> a.column().touchOnUpdate() || a.name().equals(live.optimisticLock()))
                .forEach(attribute -> columns.add(attribute.columnName()));
        return columns;
    }

    private static List<Element> elements(Resource live) {
        return live.relationships().stream().filter(r -> live.tableOptions().draftElements().contains(r.name()))
                .map(r -> new Element(r.name(), r.destination(), r.sourceAttribute(), r.destinationAttribute()))
                .toList();
    }
}
