package dev.ashlar.spi.plugin;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Query;

import java.util.List;

/**
 * Reads through the data layer, with every plugin's query hooks (tenant scope, replica routing).
 * The kernel implements it and hands it to code that plugins call, such as a manual relationship's
 * loader.
 *
 * <pre>{@code
 * List<Row> comments = reader.read(Query.of("comment").withFilter(in("post_id", postIds)));
 * }</pre>
 */
@FunctionalInterface
public interface Reader {

    /**
     * The rows a query selects.
     *
     * @throws dev.ashlar.api.error.AshlarException when the query is malformed or the database refuses it
     */
    List<Row> read(Query query);
}
