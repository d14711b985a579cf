package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A related record written with its record never reaches a {@code readOnly()} resource: the write is refused before
 * the record itself is inserted, so no row, after-write hook or key of the record's sequence is spent on it.
 */
class ManagedReadOnlyTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("managed_read_only")
            .resource(Resource.builder("post").table("posts").integerPrimaryKey("id").attribute("title", TEXT)
                    .hasMany("stats", "stat").build())
            .resource(Resource.builder("stat").table("stats").integerPrimaryKey("id").attribute("views", INTEGER)
                    .belongsTo("post", "post").readOnly().build())
            .build();

    ManagedReadOnlyTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE posts, stats RESTART IDENTITY");
        db.execute("INSERT INTO stats (views) VALUES (7)");
    }

    @Test
    void aNestedWriteOfAReadOnlyResourceIsRefusedBeforeTheRecordIsWritten() {
        for (Manage manage : List.of(Manage.relationship("stats").create(), Manage.relationship("stats").append())) {
            assertThatThrownBy(() -> ashlar.create("post", Map.of("title", "t", "stats",
                    List.of(manage.type() == Manage.Type.CREATE ? Map.of("views", 1) : 1)), manage))
                    .isInstanceOf(QueryException.class).hasMessageContaining("readOnly()")
                    .hasMessageContaining("'stats' of post");
        }

        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
        assertThat(db.value("SELECT nextval(pg_get_serial_sequence('posts', 'id'))")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM stats WHERE views = 7 AND post_id IS NULL")).isEqualTo(1L);
    }
}
