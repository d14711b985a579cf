package dev.ashlar.kernel.migrate;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do when a migration's statement meets one of the refusals a Citus coordinator is known for (measured on
 * Citus 13.2: a trigger on a distributed table, a key to a table that is neither distributed nor a reference table,
 * a key between tables that are not colocated, a function Citus cannot push to the workers). Each is told by the words
 * of Citus's own message, which no plain PostgreSQL server says; any other error gets no hint. A Citus function that
 * a server without Citus does not know gets the two ways on: a Citus coordinator, or the project switched to one
 * server.
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

    /** A Citus function called on a server without the extension, as PostgreSQL names it. */
    private static final Pattern WITHOUT_CITUS = Pattern.compile("function (create_distributed_table|"
            + "create_reference_table|undistribute_table|citus_\\w+)\\(.*\\) does not exist");

    private CitusRefusals() {
    }

    /** The fix for the Citus refusal the server's message names, on a line of its own; empty for any other message. */
    static String hint(String serverMessage) {
        if (serverMessage == null) {
            return "";
        }
        Matcher withoutCitus = WITHOUT_CITUS.matcher(serverMessage);
        if (withoutCitus.find()) {
            return "\n" + withoutCitus.group(1) + "() is Citus's: the migration was generated for Citus (the "
                    + "project's resource_snapshots/target says citus), and this database has no citus extension. Run "
                    + "it on a Citus coordinator (CREATE EXTENSION citus there), or, to stay on one server, switch the "
                    + "project: ashlar codegen NAME --target postgresql --switch-target.";
        }
        for (Refusal refusal : KNOWN) {
            if (serverMessage.contains(refusal.words())) {
                return "\n" + refusal.fix();
            }
        }
        return "";
    }
}
