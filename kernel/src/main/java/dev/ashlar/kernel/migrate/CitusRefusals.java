package dev.ashlar.kernel.migrate;

import java.util.List;

/**
 * What to do when a migration's statement meets one of the refusals a Citus coordinator is known for (measured on
 * Citus 13.2: a trigger on a distributed table, a key to a table that is neither distributed nor a reference table,
 * a key between tables that are not colocated, a function Citus cannot push to the workers). Each is told by the words
 * of Citus's own message, which no plain PostgreSQL server says; any other error gets no hint.
 */
final class CitusRefusals {
    private record Refusal(String words, String fix) {
    }

    private static final List<Refusal> KNOWN = List.of(
            new Refusal("triggers are not supported on distributed tables", "Citus creates or drops a trigger on "
                    + "a distributed table (a tenant schema's table is one) only with citus.enable_unsafe_triggers on: "
                    + "write 'SET LOCAL citus.enable_unsafe_triggers = on;' first in this section of the file (before "
                    + "its CREATE TRIGGER or DROP TRIGGER). The trigger then fires on the worker that holds the rows "
                    + "and moves with its table."),
            new Refusal("must be a distributed table or a reference table", "On Citus a table that a distributed "
                    + "table (a tenant schema's table is one) refers to must be a reference table: make it one in a "
                    + "main migration (SELECT create_reference_table('schema.table'); Ashlar's codegen does so for "
                    + "the main tables that tenant tables reference), then migrate again."),
            new Refusal("not colocated", "Citus enforces a key only between tables on the same worker: a key "
                    + "between two tenant schemas, or between a tenant schema and a table distributed by a column, "
                    + "cannot be made. Keep the key inside one tenant, or refer to a reference table."),
            new Refusal("non-IMMUTABLE functions are not allowed in the RETURNING clause", "Citus computes RETURNING "
                    + "on the workers, where only immutable functions may run: return columns only, and compute "
                    + "now() and the like in a statement of its own."),
            new Refusal("must not be VOLATILE", "Citus runs an UPDATE or DELETE of a distributed table on its "
                    + "workers, where a volatile function (random(), gen_random_uuid(), clock_timestamp(), nextval()) "
                    + "could differ between replicas: compute the value first (in a column default, an INSERT, or "
                    + "the application) and write it as a value."));

    private CitusRefusals() {
    }

    /** The fix for the Citus refusal the server's message names, on a line of its own; empty for any other message. */
    static String hint(String serverMessage) {
        if (serverMessage == null) {
            return "";
        }
        for (Refusal refusal : KNOWN) {
            if (serverMessage.contains(refusal.words())) {
                return "\n" + refusal.fix();
            }
        }
        return "";
    }
}
