package dev.ashlar.plugins.indexes;

import java.util.List;
import java.util.stream.Stream;

/**
 * A resource's custom SQL statements, the guide's {@code custom_statements} section:
 *
 * <pre>{@code
 * import static dev.ashlar.plugins.indexes.CustomStatements.statement;
 *
 * Resource.builder("post").table("posts") ...
 *         .with(CustomStatements.of(
 *                 statement("uuid_ossp")
 *                         .up("CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\"")
 *                         .down("DROP EXTENSION IF EXISTS \"uuid-ossp\""),
 *                 statement("drop_title_index")
 *                         .up("DROP INDEX IF EXISTS posts_title_index")
 *                         .down("CREATE INDEX posts_title_index ON posts (title)")
 *                         .onDestroy(true)))
 * }</pre>
 *
 * @param statements the statements, in the order their migrations run them
 */
public record CustomStatements(List<CustomStatement> statements) implements Section {

    public CustomStatements {
        statements = List.copyOf(statements);
    }

    /** The section holding these statements. */
    public static CustomStatements of(CustomStatement.Builder... statements) {
        return new CustomStatements(Stream.of(statements).map(CustomStatement.Builder::build).toList());
    }

    /** Starts a statement; its name identifies it on its table, so that a change replaces it. */
    public static CustomStatement.Builder statement(String name) {
        return new CustomStatement.Builder(name);
    }
}
