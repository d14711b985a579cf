package dev.ashlar.kernel.codegen;

import dev.ashlar.api.data.Nested;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.migrate.Migrator;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.schema.Scope;
import dev.ashlar.testing.Catalog;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value object ({@code @Nested("home")} on a resource's record) added to a table that holds rows: its columns are
 * added as any attributes' are, the rows keep their values and read the value object as null until one is written,
 * and rolling back drops the columns alone. The typed resource is the one the string DSL builds from the same names.
 */
@ExtendWith(PostgresExtension.class)
class EmbeddedColumnsMigrationTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    record Address(String street, String city) {
    }

    record Client(Integer id, String name) {
        static final Table<Client> CLIENTS = Table.of("client", Client.class);
        static final Field<Client, Integer> ID = CLIENTS.integerPrimaryKey("id");
        static final TextField<Client> NAME = CLIENTS.attribute("name", Kind.TEXT);
        static final Resource RESOURCE = CLIENTS.builder().table("clients").add(ID, NAME).build();
    }

    record HousedClient(Integer id, String name, @Nested("home") Address home) {
        static final Table<HousedClient> CLIENTS = Table.of("client", HousedClient.class);
        static final Field<HousedClient, Integer> ID = CLIENTS.integerPrimaryKey("id");
        static final TextField<HousedClient> NAME = CLIENTS.attribute("name", Kind.TEXT);
        static final TextField<HousedClient> HOME_STREET = CLIENTS.attribute("home_street", Kind.TEXT);
        static final TextField<HousedClient> HOME_CITY = CLIENTS.attribute("home_city", Kind.TEXT);
        static final Resource RESOURCE = CLIENTS.builder().table("clients")
                .add(ID, NAME, HOME_STREET, HOME_CITY).build();
    }

    @TempDir
    Path project;
    TestDatabase db;

    @BeforeEach
    void cleanSlate(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    private Codegen.Result generate(Resource client, String name) {
        Domain domain = Domain.builder("crm").resource(client).build();
        return new Codegen(project, domain, Plugins.none(), Renames.hints(List.of()), CLOCK).generate(name);
    }

    private Migrator migrator() {
        return new Migrator(db.dataSource(), Codegen.migrations(project, Scope.MAIN));
    }

    @Test
    void addingAValueObjectToATableHoldingRowsAddsItsColumnsAndReadsItAsNullUntilWritten() throws IOException {
        generate(Client.RESOURCE, "create");
        migrator().migrate();
        db.execute("INSERT INTO clients (name) VALUES ('Ada'), ('Bob')");

        Codegen.Result housed = generate(HousedClient.RESOURCE, "add_home");
        migrator().migrate();

        assertThat(Files.readString(housed.files().get(0)))
                .contains("ALTER TABLE \"public\".\"clients\" ADD COLUMN \"home_street\" text")
                .contains("ADD COLUMN \"home_city\" text");
        assertThat(Catalog.of(db, "public")).contains("column clients.home_street text", "column clients.home_city text");
        Domain domain = Domain.builder("crm").resource(HousedClient.RESOURCE).build();
        try (Ashlar ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build()) {
            assertThat(ashlar.read(HousedClient.CLIENTS).sort(HousedClient.ID.asc()).list())
                    .containsExactly(new HousedClient(1, "Ada", null), new HousedClient(2, "Bob", null));
            ashlar.update(HousedClient.CLIENTS, new HousedClient(1, "Ada", new Address("1 Main St", "York")),
                    HousedClient.HOME_STREET, HousedClient.HOME_CITY);
            assertThat(ashlar.get(HousedClient.CLIENTS, 1).home()).isEqualTo(new Address("1 Main St", "York"));
        }
        assertThat(db.query("SELECT name, home_city FROM clients ORDER BY id")).extracting(r -> r.get("home_city"))
                .containsExactly("York", null);

        migrator().rollback(1);
        assertThat(Catalog.of(db, "public")).noneMatch(line -> line.contains("home_"));
        assertThat(db.query("SELECT name FROM clients ORDER BY id")).extracting(r -> r.get("name"))
                .containsExactly("Ada", "Bob");
    }

    @Test
    void theTypedResourceIsTheOneTheStringDslBuildsFromThePrefixedNames() {
        Resource byName = Resource.builder("client").table("clients").integerPrimaryKey("id")
                .attribute("name", TEXT).attribute("home_street", TEXT).attribute("home_city", TEXT).build();

        assertThat(HousedClient.RESOURCE).isEqualTo(byName);
    }
}
