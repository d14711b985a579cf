package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A file's {@code -- precondition:} header, as a Liquibase changeset's {@code sqlCheck} precondition: a query whose one
 * boolean says whether the file runs ({@code -- precondition: SELECT to_regclass('legacy_posts') IS NOT NULL}),
 * checked just before the file would run, under the migration lock; its {@code -- on-fail:} header says what the run
 * does when the answer is false, NULL or no row.
 *
 * @param query  the query, sent as written (no placeholders)
 * @param onFail what a run does with the file when the query does not answer true
 */
public record Precondition(String query, OnFail onFail) {

    /** What a run does with a file whose precondition does not hold, as Liquibase's {@code onFail}. */
    public enum OnFail {
        /** Stop the run there, the file not applied, those before it staying applied (Liquibase's HALT; the default). */
        HALT("halt"),
        /** Leave the file pending, run nothing of it, and go on: the next run checks it again (Liquibase's CONTINUE). */
        SKIP("skip"),
        /** Record the file as applied without running it, shown as baselined (Liquibase's MARK_RAN). */
        MARK_RAN("mark-ran"),
        /**
         * Print a warning naming the file and the query, then run the file as if it held (Liquibase's WARN): for a
         * condition worth knowing of that should not stop a release.
         */
        WARN("warn");

        private final String word;

        OnFail(String word) {
            this.word = word;
        }

        /** Its word in an {@code -- on-fail:} header. */
        public String word() {
            return word;
        }

        /** The value of an {@code -- on-fail:} header, or null when it is none of the words. */
        static OnFail of(String word) {
            return Arrays.stream(values()).filter(v -> v.word.equals(word.toLowerCase(Locale.ROOT))).findFirst()
                    .orElse(null);
        }

        static String words() {
            return Arrays.stream(values()).map(OnFail::word).collect(Collectors.joining(", "));
        }
    }

    /**
     * Whether the precondition holds on {@code connection}: its query answers true.
     *
     * @throws MigrationException naming the file and the query when the query fails or answers other than one boolean
     */
    boolean holds(Connection connection, MigrationFile file, String schema) {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            if (!rows.next()) {
                return false;
            }
            Object answer = rows.getObject(1);
            if (rows.getMetaData().getColumnCount() != 1 || answer != null && !(answer instanceof Boolean)) {
                throw refused(file, schema, "answers " + rows.getMetaData().getColumnCount() + " column(s) of type "
                        + rows.getMetaData().getColumnTypeName(1) + ", not one boolean");
            }
            return Boolean.TRUE.equals(answer);
        } catch (SQLException e) {
            throw refused(file, schema, "failed: " + e.getMessage());
        }
    }

    private MigrationException refused(MigrationFile file, String schema, String problem) {
        return new MigrationException(ErrorCode.MIGRATION, "The precondition of migration " + file.fileName() + " on "
                + schema + ", '" + query + "', " + problem + ". Write a query that answers one boolean, true to run "
                + "the file (SELECT to_regclass('posts') IS NOT NULL, SELECT count(*) = 0 FROM posts). Nothing of "
                + file.fileName() + " was applied.", file.fileName());
    }
}
