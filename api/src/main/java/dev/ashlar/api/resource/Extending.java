package dev.ashlar.api.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The resource whose records a resource extends (Hibernate's {@code @Inheritance(strategy = JOINED)}), set with
 * {@link ResourceBuilder#extending(String)}: each record is one row of the parent's table and one row of the child's,
 * which holds the child's own columns and the parent's primary key (its own primary key, and a foreign key to the
 * parent's table with {@code ON DELETE CASCADE}). A parent may extend another in turn (a chain: a dog is a mammal is
 * an animal), each record then one row of each table of the chain, all sharing the root's key.
 *
 * @param parent  the parent resource's name
 * @param table   the parent's table, filled in when the domain is built ({@code null} before)
 * @param schema  the parent's schema, or {@code null} for the connection's default
 * @param columns the columns the parent's record stores (in its own table and its ancestors'), the key's included,
 *                filled in when the domain is built
 * @param above   the parent's own {@code Extending} when the parent extends a resource in turn, else {@code null}
 */
public record Extending(String parent, String table, String schema, List<String> columns, Extending above) {

    public Extending {
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /**
     * A parent that extends no other resource: the constructor of the record before chains, kept so that code and
     * binaries built against it still compile and link ({@link #above()} is then null). Two {@code Extending}s are
     * equal only when their {@code above} is too.
     */
    public Extending(String parent, String table, String schema, List<String> columns) {
        this(parent, table, schema, columns, null);
    }

    /** As declared, before the domain resolves the parent. */
    public static Extending of(String parent) {
        return new Extending(parent, null, null, List.of());
    }

    /** The ancestors, the root first and the parent last: the tables a record is stored in above its own. */
    public List<Extending> ancestors() {
        List<Extending> ancestors = new ArrayList<>();
        for (Extending at = this; at != null; at = at.above) {
            ancestors.add(at);
        }
        Collections.reverse(ancestors);
        return List.copyOf(ancestors);
    }

    /**
     * The ancestor whose own table stores the column (the one highest in the chain that has it), or null when none
     * does and the child's own table stores it.
     */
    public Extending storing(String column) {
        return ancestors().stream().filter(a -> a.columns.contains(column)).findFirst().orElse(null);
    }
}
