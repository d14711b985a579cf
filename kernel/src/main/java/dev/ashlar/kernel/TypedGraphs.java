package dev.ashlar.kernel;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.data.Manage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed records with their related records as the string API writes them: each record's values with its related
 * records under their relationships' names, and one {@link Manage} per path for all of them, so the typed bulk
 * writes run the same managed writes as by name.
 *
 * @param values  the records' values, in input order
 * @param manages the managements of every path the records give, empty when none gives related records
 */
record TypedGraphs<R extends Record>(List<Map<String, Object>> values, List<Manage> manages) {

    /** @throws QueryException for a null record, or a path two records manage differently */
    static <R extends Record> TypedGraphs<R> of(Table<R> table, List<Manage.Graph<R>> records) {
        List<Manage.Graph<R>> graphs = new ArrayList<>(QueryException.required(records, "records"));
        List<Map<String, Object>> values = new ArrayList<>(graphs.size());
        for (Manage.Graph<R> graph : graphs) {
            if (graph == null) {
                throw QueryException.of(table.name(), null, "A write of many " + table.name() + " records was given "
                        + "null for record " + (values.size() + 1) + " of " + graphs.size() + "; leave it out");
            }
            values.add(graph.values(table));
        }
        return new TypedGraphs<>(values, Manage.Graph.manages(table.name(), "", graphs));
    }
}
