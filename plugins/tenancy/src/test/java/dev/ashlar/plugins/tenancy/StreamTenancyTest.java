package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streams as attribute values under tenants: another tenant writing streams over the victim's rows, by query or by
 * key, changes nothing, and reading {@code bytea} attributes as streams gives it its own rows alone.
 */
@ExtendWith(PostgresExtension.class)
class StreamTenancyTest {
    static final Resource BY_COLUMN = Resource.builder("file").table("files").integerPrimaryKey("id")
            .attribute("org_id", BIGINT, a -> a.notNull()).attribute("data", BINARY).attribute("body", TEXT)
            .with(Multitenancy.attribute("org_id")).build();
    static final Resource BY_SCHEMA = Resource.builder("file").table("files").integerPrimaryKey("id")
            .attribute("data", BINARY).attribute("body", TEXT).with(Multitenancy.context()).build();

    @TempDir
    Path project;

    private static InputStream bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return new ByteArrayInputStream(bytes);
    }

    @Test
    void anotherTenantWritingStreamsOverTheVictimsRowsByColumnChangesNothingAndReadsOnlyItsOwn(TestDatabase db)
            throws Exception {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("files")
                .resources(HistoryTenancyTest.TENANT, BY_COLUMN).build(), "stream_tenant_")) {
            Ashlar victim = ashlar.withTenant("42");
            Ashlar attacker = ashlar.withTenant("7");
            Row secret = victim.create("file", Map.of("data", bytes(1, 2, 3), "body", new StringReader("secret")));
            attacker.create("file", Map.of("data", bytes(9), "body", new StringReader("own")));
            Filter victims = Filter.eq("id", secret.get("id"));

            assertThat(attacker.read("file").where(victims).updateAll(Map.of("data", bytes(6, 6, 6)))).isEmpty();
            assertThatThrownBy(() -> attacker.update(secret, Map.of("body", new StringReader("defaced"))));
            assertThatThrownBy(() -> attacker.create("file", Map.of("org_id", 42, "data", bytes(6))))
                    .isInstanceOf(InvalidDataException.class).hasMessageContaining("cannot be set to 42");
            assertThat(attacker.read("file").list()).hasSize(1)
                    .allSatisfy(row -> assertThat(readAll(row)).containsExactly(9));

            assertThat(db.query("SELECT org_id, encode(data, 'hex') AS hex, body FROM files ORDER BY org_id"))
                    .containsExactly(Map.of("org_id", 7L, "hex", "09", "body", "own"),
                            Map.of("org_id", 42L, "hex", "010203", "body", "secret"));
        }
    }

    @Test
    void anotherTenantWritingStreamsInItsSchemaNeverReachesTheVictimsSchema(TestDatabase db) throws Exception {
        try (Ashlar ashlar = TenancyDataTest.migrated(db, project, Domain.builder("files")
                .resources(HistoryTenancyTest.TENANT, BY_SCHEMA).build(), "history_tenant_")) {
            ashlar.create("tenant", Map.of("id", "acme"));
            ashlar.create("tenant", Map.of("id", "globex"));
            Ashlar victim = ashlar.withTenant("history_tenant_acme");
            Ashlar attacker = ashlar.withTenant("history_tenant_globex");
            Row secret = victim.create("file", Map.of("id", 1, "data", bytes(1, 2), "body", new StringReader("s")));

            assertThat(attacker.read("file").where(Filter.eq("id", 1)).updateAll(Map.of("data", bytes(6)))).isEmpty();
            assertThatThrownBy(() -> attacker.update(secret, Map.of("data", bytes(6))));
            attacker.create("file", Map.of("id", 1, "data", bytes(7), "body", new StringReader("own")));

            assertThat(readAll(attacker.read("file").one().orElseThrow())).containsExactly(7);
            assertThat(db.value("SELECT encode(data, 'hex') || body FROM history_tenant_acme.files"))
                    .isEqualTo("0102s");
            assertThat(db.value("SELECT encode(data, 'hex') || body FROM history_tenant_globex.files"))
                    .isEqualTo("07own");
        }
    }

    private static byte[] readAll(Row row) {
        try {
            return row.get("data", InputStream.class).readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
