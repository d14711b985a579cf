package dev.ashlar.plugins.indexes;

import dev.ashlar.api.query.Filter;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.testing.Catalog;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustomIndexMigrationTest extends ProjectTest {
    static ResourceBuilder users() {
        return Resource.builder("user").table("users").integerPrimaryKey("id")
                .attribute("first_name", TEXT).attribute("last_name", TEXT).attribute("email", TEXT)
                .attribute("status", TEXT).attribute("created_at", TIMESTAMPTZ).attribute("user_id", INTEGER)
                .attribute("data", JSON);
    }

    @Test
    void createsTheGuideIndexesWithTheirUniquenessPredicateMethodAndIncludedColumns() {
        Codegen.Result result = project.apply("create_users", users().with(CustomIndexes.of(
                index("first_name", "last_name"),
                index("email").unique().name("users_email_index").where("email IS NOT NULL"),
                index("status", "created_at").include("user_id"),
                index("data").using("GIN"),
                index("lower(email)").unique().using("btree"))).build());

        assertThat(Project.steps(result)).contains("add index users_first_name_last_name_index on public.users",
                "add index users_lower_email_index on public.users");
        assertThat(project.index("users_first_name_last_name_index")).containsEntry("unique", false)
                .containsEntry("method", "btree").containsEntry("keys", "first_name,last_name")
                .containsEntry("predicate", null).containsEntry("included", null);
        assertThat(project.index("users_email_index")).containsEntry("unique", true)
                .containsEntry("predicate", "(email IS NOT NULL)").containsEntry("keys", "email");
        assertThat(project.index("users_status_created_at_index")).containsEntry("keys", "status,created_at")
                .containsEntry("included", "user_id");
        assertThat(project.index("users_data_index")).containsEntry("method", "gin");
        assertThat(project.index("users_lower_email_index")).containsEntry("unique", true)
                .containsEntry("keys", "expression")
                .containsEntry("definition", "CREATE UNIQUE INDEX users_lower_email_index ON public.users "
                        + "USING btree (lower(email))");
    }

    @Test
    void theResourcesBaseFilterJoinsAnIndexPredicateUnlessTheIndexIgnoresIt() {
        project.apply("create_users", users().baseFilter("status <> 'deleted'", Filter.ne("status", "deleted"))
                .with(CustomIndexes.of(index("email").unique().where("email IS NOT NULL"),
                        index("last_name").ignoreBaseFilter())).build());

        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_email_index'"))
                .isEqualTo("CREATE UNIQUE INDEX users_email_index ON public.users USING btree (email) "
                        + "WHERE ((status <> 'deleted'::text) AND (email IS NOT NULL))");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_last_name_index'"))
                .isEqualTo("CREATE INDEX users_last_name_index ON public.users USING btree (last_name)");
        db.execute("INSERT INTO users (email, status) VALUES ('a@x', 'deleted'), ('a@x', 'active')");
        assertThatThrownBy(() -> db.execute("INSERT INTO users (email, status) VALUES ('a@x', 'active')"))
                .hasMessageContaining("users_email_index");
    }

    @Test
    void aPartialUniqueIndexAllowsDuplicatesOutsideItsPredicate() {
        project.apply("create_users", users().with(CustomIndexes.of(
                index("email").unique().where("status = 'active'"))).build());

        db.execute("INSERT INTO users (email, status) VALUES ('a@x', 'archived'), ('a@x', 'archived'), ('a@x', 'active')");

        assertThat(db.value("SELECT count(*) FROM users")).isEqualTo(3L);
        assertThatThrownBy(() -> db.execute("INSERT INTO users (email, status) VALUES ('a@x', 'active')"))
                .hasMessageContaining("users_email_index");
    }

    @Test
    void aGinIndexOnJsonbServesContainmentQueries() {
        project.apply("create_users", users().with(CustomIndexes.of(index("data").using("gin"))).build());
        db.execute("INSERT INTO users (data) SELECT jsonb_build_object('k' || g, g) FROM generate_series(1, 20000) g");
        db.execute("VACUUM ANALYZE users"); // moves the rows out of the GIN pending list

        String plan = db.query("EXPLAIN SELECT * FROM users WHERE data @> '{\"k7\": 7}'").stream()
                .map(row -> row.values().iterator().next().toString()).reduce("", String::concat);

        assertThat(project.index("users_data_index")).containsEntry("method", "gin")
                .containsEntry("definition", "CREATE INDEX users_data_index ON public.users USING gin (data)");
        assertThat(plan).contains("users_data_index");
    }

    @Test
    void changingAnIndexReplacesItInOneMigrationAndRollbackRestoresThePreviousDefinitionExactly() {
        project.apply("create_users", users().with(CustomIndexes.of(index("email").unique())).build());
        List<String> before = Catalog.of(db, "public");

        Codegen.Result change = project.apply("partial_email", users().with(CustomIndexes.of(
                index("email").unique().where("email IS NOT NULL").include("status"))).build());

        // Dropped in the migration's transaction, built again concurrently in a file of its own.
        assertThat(change.files()).hasSize(2);
        assertThat(Project.steps(change)).containsExactly("drop index users_email_index on public.users",
                "add index users_email_index on public.users");
        assertThat(project.index("users_email_index")).containsEntry("predicate", "(email IS NOT NULL)")
                .containsEntry("included", "status");
        project.rollback(2);
        assertThat(Catalog.of(db, "public")).isEqualTo(before);
    }

    @Test
    void removingAnIndexDropsItAndRollbackBringsItBack() {
        project.apply("create_users", users().with(CustomIndexes.of(index("last_name", "first_name"))).build());

        Codegen.Result removal = project.apply("drop_index", users().build());

        assertThat(Project.steps(removal)).containsExactly("drop index users_last_name_first_name_index on public.users");
        assertThat(project.index("users_last_name_first_name_index")).isEmpty();
        project.rollback(1);
        assertThat(project.index("users_last_name_first_name_index")).containsEntry("keys", "last_name,first_name");
    }

    @Test
    void anIndexGivenOnlyANewNameIsRenamedInPlaceAndRollbackRenamesItBack() {
        project.apply("create_users", users().with(CustomIndexes.of(index("last_name", "first_name"))).build());
        Object built = db.value("SELECT 'users_last_name_first_name_index'::regclass::oid");

        Codegen.Result renamed = project.apply("rename_index", users().with(CustomIndexes.of(
                index("last_name", "first_name").name("users_by_name"))).build());

        assertThat(Project.steps(renamed))
                .containsExactly("rename index users_last_name_first_name_index on public.users to users_by_name");
        assertThat(project.index("users_by_name")).containsEntry("keys", "last_name,first_name");
        assertThat(db.value("SELECT 'users_by_name'::regclass::oid")).isEqualTo(built);
        project.rollback(1);
        assertThat(project.index("users_by_name")).isEmpty();
        assertThat(db.value("SELECT 'users_last_name_first_name_index'::regclass::oid")).isEqualTo(built);
    }

    @Test
    void theErrorPostgresRaisesOnAUniqueExpressionIndexMapsToItsMessageOnTheAttribute() throws SQLException {
        Resource users = users().with(CustomIndexes.of(
                index("lower(email)").unique().message("is already registered"))).build();
        project.apply("create_users", users);
        db.execute("INSERT INTO users (email) VALUES ('Ada@example.com')");

        ServerErrorMessage server = null;
        try (Connection connection = db.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO users (email) VALUES ('ada@EXAMPLE.com')");
        } catch (PSQLException e) {
            server = e.getServerErrorMessage();
        }
        assertThat(server).isNotNull();
        DatabaseError error = new DatabaseError(server.getSQLState(), server.getMessage(), server.getDetail(),
                server.getSchema(), server.getTable(), server.getColumn(), server.getConstraint());
        Domain domain = Domain.builder("app").resource(users).build();

        assertThat(new IndexesPlugin().mapError(error, new QueryContext(domain, domain.resource("user"), Action.CREATE,
                null))).get().isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).containsExactly(new FieldError("email", "is already registered"));
                    assertThat(e.errors().get(0).column()).isEqualTo("email");
                    assertThat(db.value("SELECT indisunique FROM pg_index WHERE indexrelid = to_regclass('"
                            + e.errors().get(0).constraint() + "')")).isEqualTo(true);
                });
    }

    @Test
    void regeneratingUnchangedIndexesWritesNothing() {
        Resource users = users().with(CustomIndexes.of(index("email").unique().where("email <> ''").using("btree"),
                index("data").using("gin"))).build();
        project.apply("create_users", users);

        assertThat(project.generate("again", users).changed()).isFalse();
    }
}
