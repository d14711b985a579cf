package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resource, table, attribute and identity names holding quotes, backslashes, dollar quotes, comment marks and
 * right-to-left, emoji and combining characters reach PostgreSQL quoted, and values that look like SQL bound.
 */
class HostileNamesTest extends DomainDatabaseTest {
    private static final String RESOURCE = "we\"ird; --";
    private static final String TABLE = "ta\"ble $$;-- \u05D0\u05D1";
    private static final String NAME = "na\"me'; --";
    private static final String COUNT = "back\\slash $$x$$";
    private static final String NOTE = "e\u0301moji\uD83D\uDE00 \u202E\u05E7\u05D5\u05D3";
    private static final String INJECTION = "x'); DROP TABLE \"ta\"\"ble $$;-- \u05D0\u05D1\"; --";

    HostileNamesTest() {
        super(Domain.builder("odd").resource(Resource.builder(RESOURCE).table(TABLE).primaryKey("id")
                .attribute(NAME, TEXT).attribute(COUNT, INTEGER).attribute(NOTE, TEXT)
                .identity("uni\"que", NAME).build()).build());
    }

    @Test
    void everyActionReadsAndWritesTheTableWhoseNamesHoldQuotesDollarsCommentsAndUnicode() {
        Row first = ashlar.create(RESOURCE, Map.of(NAME, INJECTION, COUNT, 1, NOTE, "\u202Eevil"));
        ashlar.createAll(RESOURCE, List.of(Map.of(NAME, "b", COUNT, 2, NOTE, "$$"), Map.of(NAME, "c", COUNT, 3)));
        ashlar.upsert(RESOURCE, List.of(Map.of(NAME, "b", COUNT, 20), Map.of(NAME, "z", COUNT, 30)),
                Upsert.on("uni\"que"));
        ashlar.update(first, Map.of(NOTE, "e\u0301"));
        ashlar.read(RESOURCE).where(Filter.eq(NAME, "z")).updateAll(Map.of(COUNT, Atomic.add(1)));
        ashlar.read(RESOURCE).where(Filter.eq(NAME, "c")).destroyAll();

        assertThat(db.query("SELECT \"na\"\"me'; --\" AS name, \"back\\slash $$x$$\" AS count FROM "
                + "\"ta\"\"ble $$;-- \u05D0\u05D1\" ORDER BY 2"))
                .extracting(row -> row.get("name") + "=" + row.get("count")).containsExactly(INJECTION + "=1", "b=20", "z=31");
        assertThat(db.query("SELECT indexname FROM pg_indexes WHERE tablename = ? ORDER BY 1", TABLE))
                .extracting(row -> row.get("indexname")).containsExactly(TABLE + "_pkey", TABLE + "_uni\"que_index");
        assertThat(ashlar.read(RESOURCE).where(Filter.and(Filter.gt(COUNT, 1), Filter.like(NAME, "%")))
                .sort(Sort.desc(COUNT)).list()).extracting(row -> row.get(NAME)).containsExactly("z", "b");
        assertThat(ashlar.read(RESOURCE).where(Filter.eq(NOTE, "e\u0301")).first().orElseThrow().get(NAME))
                .isEqualTo(INJECTION);
        assertThat(ashlar.read(RESOURCE).max(COUNT)).isEqualTo(31);
        assertThat(ashlar.read(RESOURCE).groupBy(NOTE).count("n").list()).extracting(row -> row.get(NOTE))
                .containsExactlyInAnyOrder("e\u0301", "$$", null);
        dev.ashlar.kernel.Read page = ashlar.read(RESOURCE).sort(Sort.asc(COUNT)).limit(1);
        assertThat(page.after(page.cursor(first)).first().orElseThrow().get(COUNT)).isEqualTo(20);
        assertThatThrownBy(() -> ashlar.create(RESOURCE, Map.of(NAME, "b")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo(NAME)));
    }
}
