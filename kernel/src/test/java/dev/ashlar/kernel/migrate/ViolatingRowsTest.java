package dev.ashlar.kernel.migrate;

import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A failed validation's error says how many rows break the constraint and gives a query that lists exactly them; a
 * unique index that rows share keys of says how many keys they share, and over how many rows.
 */
@ExtendWith(PostgresExtension.class)
class ViolatingRowsTest {
    @TempDir
    Path folder;
    TestDatabase db;

    @BeforeEach
    void tablesWithRows(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA IF EXISTS \"Shop\" CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public; "
                + "CREATE SCHEMA \"Shop\"; CREATE TABLE \"Shop\".\"Parents\" (\"Org\" int, code text, UNIQUE (\"Org\", code)); "
                + "INSERT INTO \"Shop\".\"Parents\" VALUES (1, 'a'), (2, 'b'); "
                + "CREATE TABLE \"Shop\".\"Line Items\" (id int PRIMARY KEY, \"Org\" int, parent_code text, qty int); "
                + "INSERT INTO \"Shop\".\"Line Items\" VALUES (1, 1, 'a', 1), (2, 2, 'a', 0), (3, NULL, 'b', 2), "
                + "(4, NULL, NULL, -1), (5, 2, 'b', NULL)");
    }

    /** Adds the constraint NOT VALID in one file, as generated migrations do, and validates it in the next. */
    private String validationFailure(String constraint, String definition) throws IOException {
        String table = "ALTER TABLE \"Shop\".\"Line Items\" ";
        Files.writeString(folder.resolve("20260101000000_add.sql"), "-- migrate:up\n" + table + "ADD CONSTRAINT "
                + constraint + " " + definition + " NOT VALID;\n-- migrate:down\n");
        Files.writeString(folder.resolve("20260101000001_validate.sql"), "-- migrate:up\n" + table
                + "VALIDATE CONSTRAINT " + constraint + ";\n-- migrate:down\n");
        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate());
        assertThat(failure).isInstanceOf(MigrationException.class);
        return failure.getMessage();
    }

    /** Runs a file whose up section builds a unique index and returns the message it failed with. */
    private String uniqueIndexFailure(String up) throws IOException {
        Files.writeString(folder.resolve("20260101000000_unique.sql"), up + "-- migrate:down\n");
        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate());
        assertThat(failure).isInstanceOf(MigrationException.class);
        return failure.getMessage();
    }

    private Object ids(String message) {
        int start = message.indexOf("Find them with: ");
        assertThat(start).as("a query that finds the rows in: %s", message).isNotNegative();
        String finder = message.substring(start + "Find them with: ".length(), message.lastIndexOf(';'));
        return db.value("SELECT string_agg(id::text, ',' ORDER BY id) FROM (" + finder + ") rows");
    }

    @Test
    void aCompositeKeyMatchedFullFindsTheRowsWithoutAParentAndThosePartlyNull() throws IOException {
        String message = validationFailure("items_parent_fkey", "FOREIGN KEY (\"Org\", parent_code) REFERENCES "
                + "\"Shop\".\"Parents\" (\"Org\", code) MATCH FULL");

        assertThat(message).contains("Rows of Shop.Line Items refer to rows that do not exist through foreign key "
                + "items_parent_fkey");
        // Row 3 is partly null, which MATCH FULL refuses; row 4, null throughout, needs no parent.
        assertThat(ids(message)).isEqualTo("2,3");
    }

    @Test
    void aCompositeKeyMatchedSimplyFindsOnlyTheRowsWhoseKeyIsSetWithoutAParent() throws IOException {
        String message = validationFailure("items_parent_fkey", "FOREIGN KEY (\"Org\", parent_code) REFERENCES "
                + "\"Shop\".\"Parents\" (\"Org\", code)");

        assertThat(ids(message)).isEqualTo("2");
    }

    @Test
    void aCheckFindsTheRowsItsExpressionIsFalseForAndNotThoseItIsNullFor() throws IOException {
        String message = validationFailure("\"Positive qty\"", "CHECK (qty > 0)");

        assertThat(message).contains("Rows of Shop.Line Items break check Positive qty: change or remove them");
        assertThat(ids(message)).isEqualTo("2,4");
    }

    @Test
    void aFailedValidationSaysHowManyRowsBreakTheConstraint() throws IOException {
        assertThat(validationFailure("\"Positive qty\"", "CHECK (qty > 0)"))
                .contains("2 rows of Shop.Line Items break it. Find them with: ");
    }

    @Test
    void aColumnMadeRequiredOverNullRowsSaysHowManyRowsHoldNullAndTheQueryThatFindsThem() throws IOException {
        Files.writeString(folder.resolve("20260101000000_require.sql"), "-- migrate:up\nALTER TABLE \"Shop\".\"Line Items\" "
                + "ALTER COLUMN \"Org\" SET NOT NULL;\n-- migrate:down\n");
        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate());

        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining("contains null values")
                .hasMessageContaining("2 rows of Shop.Line Items break it. Find them with: ");
        assertThat(ids(failure.getMessage())).isEqualTo("3,4");
    }

    /** Runs a file with the given up section and returns the message it failed with. */
    private String failure(String up) throws IOException {
        Files.writeString(folder.resolve("20260101000000_change.sql"), "-- migrate:up\n" + up + "\n-- migrate:down\n");
        Throwable failure = catchThrowable(() -> new Migrator(db.dataSource(), folder).migrate());
        assertThat(failure).isInstanceOf(MigrationException.class).hasMessageContaining("contains null values");
        return failure.getMessage();
    }

    @Test
    void aConversionThatTurnsARequiredColumnsValuesNullCountsNoRowsAndGivesNoQueryThatFindsNone() throws IOException {
        // Row 1's id becomes null only in the conversion: no committed row is null, so a count would say "0 rows".
        String message = failure("ALTER TABLE \"Shop\".\"Line Items\" ALTER COLUMN id TYPE int USING nullif(id, 1);");

        assertThat(message).doesNotContain("break").doesNotContain("Find them with");
    }

    @Test
    void aFileThatMakesTheRowsNullItselfBeforeRequiringTheColumnCountsNoRowsAndGivesNoQuery() throws IOException {
        db.execute("UPDATE \"Shop\".\"Line Items\" SET qty = 0 WHERE qty IS NULL");
        String message = failure("UPDATE \"Shop\".\"Line Items\" SET qty = NULL WHERE id = 1;\n"
                + "ALTER TABLE \"Shop\".\"Line Items\" ALTER COLUMN qty SET NOT NULL;");

        assertThat(message).doesNotContain("break").doesNotContain("Find them with");
        assertThat(db.value("SELECT count(*) FROM \"Shop\".\"Line Items\" WHERE qty IS NULL")).isEqualTo(0L);
    }

    @Test
    void aForeignKeyThatOneRowBreaksSaysOneRow() throws IOException {
        String message = validationFailure("items_parent_fkey", "FOREIGN KEY (\"Org\", parent_code) REFERENCES "
                + "\"Shop\".\"Parents\" (\"Org\", code)");

        assertThat(message).contains("1 row of Shop.Line Items breaks it. Find them with: ");
    }

    @Test
    void aUniqueIndexBuiltOverSharedKeysSaysHowManyKeysAndRowsAndCountsNoNullsOrRowsOutsideItsPredicate()
            throws IOException {
        db.execute("INSERT INTO \"Shop\".\"Line Items\" VALUES (6, 1, 'a', 5), (7, 1, 'a', -3), (8, 2, 'b', 4), "
                + "(9, 1, 'b', -1), (10, NULL, 'b', 7)");
        String message = uniqueIndexFailure("-- migrate:up transaction:false\nCREATE UNIQUE INDEX CONCURRENTLY "
                + "\"items_key\" ON \"Shop\".\"Line Items\" (\"Org\", parent_code) WHERE (qty IS DISTINCT FROM -1);\n");

        // (1, a) is held by rows 1, 6 and 7 and (2, b) by 5 and 8; (NULL, b) twice is no duplicate, row 9 is outside.
        assertThat(message).contains("2 keys of (\"Org\", parent_code) are each held by more than one row of "
                + "Shop.Line Items (5 rows in all).");
        assertThat(db.value("SELECT count(*) FROM pg_class WHERE relname = 'items_key'")).isEqualTo(0L);
    }

    @Test
    void aUniqueIndexBuiltInTheFilesTransactionOverSharedKeysSaysHowManyKeysAndRows() throws IOException {
        // NULLS NOT DISTINCT needs PostgreSQL 15; on older servers the index is a plain one, with the same count.
        String nulls = db.serverMajorVersion() >= 15 ? " NULLS NOT DISTINCT" : "";
        String message = uniqueIndexFailure("-- migrate:up\nCREATE UNIQUE INDEX items_code ON \"Shop\".\"Line Items\" "
                + "(lower(parent_code))" + nulls + ";\n");

        // a: rows 1 and 2; b: rows 3 and 5; null: row 4 alone, whether null counts as a key or not.
        assertThat(message).contains("2 keys of (lower(parent_code)) are each held by more than one row of "
                + "Shop.Line Items (4 rows in all).");
    }
}
