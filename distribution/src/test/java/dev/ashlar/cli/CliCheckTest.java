package dev.ashlar.cli;

import dev.ashlar.cli.MigrationDomains.Workspace;
import dev.ashlar.kernel.drift.Difference;
import dev.ashlar.kernel.drift.DriftReport;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The drift gate: ashlar check compares the live database with the snapshots, object by object. */
class CliCheckTest extends CliProjectTest {
    private CliRun ashlar(String... args) {
        return CliRun.of(project, db, args);
    }

    private void migrated(Class<?> domain) {
        assertThat(ashlar("codegen", "create", "--no-input", "--domain", domain.getName()).code()).isZero();
        CliRun migrate = ashlar("migrate");
        assertThat(migrate.code()).as(migrate.err()).isZero();
    }

    @Test
    void aDatabaseMigratedByAshlarHasNoDriftWithChecksIndexesAndCompositeKeys() {
        migrated(CliInspectTest.Library.class);

        CliRun check = ashlar("check");

        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("No drift: public matches the snapshots.");
    }

    @Test
    void eachHandChangeIsReportedPreciselyAndTheGateExitsOne() {
        migrated(CliInspectTest.Library.class);
        db.execute("ALTER TABLE books ADD COLUMN subtitle text; "
                + "DROP INDEX books_title_index; "
                + "ALTER TABLE books ALTER COLUMN price SET DEFAULT 1; "
                + "ALTER TABLE authors ALTER COLUMN name SET NOT NULL; "
                + "ALTER TABLE books DROP CONSTRAINT books_price_floor; "
                + "ALTER TABLE books ADD CONSTRAINT books_price_floor CHECK (price > 1); "
                + "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$; "
                + "CREATE TRIGGER books_touch BEFORE UPDATE ON books FOR EACH ROW EXECUTE FUNCTION touch(); "
                + "ALTER TABLE authors ENABLE ROW LEVEL SECURITY; "
                + "CREATE POLICY own_rows ON authors USING (name = current_user); "
                + "CREATE TABLE scratch (id integer)");

        CliRun check = ashlar("check");

        assertThat(check.code()).isEqualTo(CheckCommand.DRIFT);
        assertThat(check.out().lines().map(String::trim).filter(line -> line.startsWith("public:")).toList())
                .containsExactly(
                        "public: different row level security authors: is enabled, expected off",
                        "public: different column authors.name: is text NOT NULL, expected text",
                        "public: extra policy authors.own_rows: PERMISSIVE FOR ALL TO public USING ((name = "
                                + "CURRENT_USER))",
                        "public: different column books.price: is numeric(8,2) DEFAULT 1, expected numeric(8,2) "
                                + "DEFAULT 0",
                        "public: extra column books.subtitle: text",
                        "public: different constraint books.books_price_floor: is CHECK ((price > (1)::numeric)), "
                                + "expected CHECK ((price >= (0)::numeric))",
                        "public: missing index books.books_title_index: CREATE INDEX books_title_index ON books "
                                + "USING hash (title)",
                        "public: extra trigger books.books_touch: CREATE TRIGGER books_touch BEFORE UPDATE ON books "
                                + "FOR EACH ROW EXECUTE FUNCTION touch()",
                        "public: extra table scratch: id");
        assertThat(check.out()).contains("9 difference(s) from the snapshots");
    }

    @Test
    void aTenantSchemaWithAMissingColumnIsReportedWithTenants() {
        migrated(Workspace.class);
        db.execute("INSERT INTO organizations (id) VALUES ('acme'), ('globex'); CREATE SCHEMA org_acme; "
                + "CREATE SCHEMA org_globex");
        assertThat(ashlar("migrate", "--tenants", "--domain", Workspace.class.getName()).code()).isZero();
        assertThat(ashlar("check", "--tenants", "--domain", Workspace.class.getName()).code()).isZero();
        db.execute("ALTER TABLE org_globex.notes DROP COLUMN body");

        CliRun mainOnly = ashlar("check", "--domain", Workspace.class.getName());
        CliRun tenants = ashlar("check", "--tenants", "--domain", Workspace.class.getName());
        DriftReport report = Project.open(project).domain(new Workspace().domain(), Plugins.discover(
                getClass().getClassLoader())).dataSource(db.dataSource()).drift(TenantSelection.all());

        assertThat(mainOnly.code()).isZero();
        assertThat(tenants.code()).isEqualTo(CheckCommand.DRIFT);
        assertThat(tenants.out()).contains("org_globex: missing column notes.body: text NOT NULL")
                .doesNotContain("org_acme:");
        assertThat(report.schemas()).containsExactly("public", "org_acme", "org_globex");
        assertThat(report.differences()).extracting(Difference::toString)
                .containsExactly("org_globex: missing column notes.body: text NOT NULL");
    }
}
