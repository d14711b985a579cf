package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIME;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.api.resource.Type.arrayOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attributes whose migration type stores them in another column type than their own (a UUID in {@code text}, as
 * Hibernate's {@code @JdbcTypeCode(VARCHAR)} maps one; a double in {@code real}; a time with fewer fractional
 * digits): each value written is read back as the attribute's Java type, as the column holds it.
 */
class MigrationTypeReadsTest extends DomainDatabaseTest {
    static final Resource SESSION = Resource.builder("session").table("sessions").primaryKey("id")
            .attribute("name", TEXT)
            .attribute("token", UUID, a -> a.migrationType("text"))
            .attribute("padded", UUID, a -> a.migrationType("char(36)"))
            .attribute("keys", arrayOf(UUID), a -> a.migrationType("text[]"))
            .attribute("ratio", DOUBLE, a -> a.migrationType("real"))
            .attribute("seen_at", TIMESTAMP, a -> a.migrationType("timestamp(3)"))
            .attribute("opens", TIME, a -> a.migrationType("time(2)"))
            .build();
    static final Domain DOMAIN = Domain.builder("migration_reads").resources(SESSION).build();

    MigrationTypeReadsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE sessions");
    }

    @Test
    void aUuidStoredAsTextIsWrittenAsItsTextAndReadBackAsAUuidInEveryWriteAndFilter() {
        UUID token = java.util.UUID.randomUUID();
        UUID other = java.util.UUID.randomUUID();

        Row created = ashlar.create("session", Map.of("name", "one", "token", token, "padded", token));
        ashlar.createAll("session", List.of(Map.of("name", "two", "token", other.toString()),
                Map.of("name", "three")));

        assertThat(created.get("token")).isEqualTo(token);
        assertThat(created.get("padded")).isEqualTo(token);
        assertThat(db.value("SELECT token FROM sessions WHERE name = 'one'")).isEqualTo(token.toString());
        assertThat(ashlar.read("session").where(Filter.eq("token", other)).list())
                .extracting(row -> row.get("name"), row -> row.get("token")).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("two", other));
        Row updated = ashlar.update(created, Map.of("token", other));
        assertThat(updated.get("token")).isEqualTo(other);
        assertThat(ashlar.read("session").where(Filter.eq("name", "three")).first().orElseThrow().get("token"))
                .isNull();
    }

    @Test
    void aListOfUuidsStoredAsATextArrayIsReadBackAsUuids() {
        UUID first = java.util.UUID.randomUUID();
        UUID second = java.util.UUID.randomUUID();

        Row created = ashlar.create("session", Map.of("name", "one", "keys", List.of(first, second)));
        ashlar.createAll("session", List.of(Map.of("name", "two", "keys", List.of(second)), Map.of("name", "x")));

        assertThat(created.get("keys")).isEqualTo(List.of(first, second));
        assertThat(db.value("SELECT keys[1] FROM sessions WHERE name = 'one'")).isEqualTo(first.toString());
        assertThat(ashlar.read("session").where(Filter.contains("keys", second)).list())
                .extracting(row -> row.get("name")).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void aStoredTextThatIsNoUuidIsRefusedNamingTheAttribute() {
        db.execute("INSERT INTO sessions (name, token) VALUES ('odd', 'not-a-uuid')");

        assertThatThrownBy(() -> ashlar.read("session").list())
                .isInstanceOf(QueryException.class).hasMessageContaining("session.token")
                .hasMessageContaining("not-a-uuid");
    }

    @Test
    void aDoubleStoredAsRealIsReadAsTheDecimalTheUserWrote() {
        Row created = ashlar.create("session", Map.of("name", "one", "ratio", 0.1));

        assertThat(created.get("ratio")).isEqualTo(0.1);
        assertThat(ashlar.read("session").first().orElseThrow().get("ratio")).isEqualTo(0.1);
        assertThat(ashlar.read("session").where(Filter.eq("ratio", 0.1)).list()).hasSize(1);
        assertThatThrownBy(() -> ashlar.update(created, Map.of("ratio", new BigDecimal("0.123456789"))))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("ratio")
                .hasMessageContaining("migration type to double precision");
    }

    @Test
    void aTimeWithFewerFractionalDigitsComesBackAsTheServerRoundedIt() {
        Row created = ashlar.create("session", Map.of("name", "one",
                "seen_at", LocalDateTime.parse("2024-05-01T10:00:00.123456"),
                "opens", LocalTime.parse("09:30:00.126")));

        assertThat(created.get("seen_at")).isEqualTo(LocalDateTime.parse("2024-05-01T10:00:00.123"));
        assertThat(created.get("opens")).isEqualTo(LocalTime.parse("09:30:00.13"));
        assertThat(db.value("SELECT opens::text FROM sessions")).isEqualTo("09:30:00.13");
    }
}
