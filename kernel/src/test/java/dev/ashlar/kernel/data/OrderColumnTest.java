package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
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
 * JPA's {@code @OrderColumn} on a one-to-many as {@code orderColumn(attribute)}: the records written with their record
 * are numbered from 0 in the order given (the whole list) or after the highest position held (added to it), and loads
 * give them in that order, whatever their keys' or their titles' order.
 */
class OrderColumnTest extends DomainDatabaseTest {
    OrderColumnTest() {
        super(Domain.builder("order_column")
                .resource(Resource.builder("playlist").table("playlists").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .hasMany("tracks", "track", r -> r.orderColumn("position"))
                        .build())
                .resource(Resource.builder("track").table("tracks").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .attribute("position", INTEGER)
                        .belongsTo("playlist", "playlist")
                        .build())
                .build());
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE playlists, tracks RESTART IDENTITY CASCADE");
    }

    private List<Map<String, Object>> positions(Object playlist) {
        return db.query("SELECT title, position FROM tracks WHERE playlist_id = ? ORDER BY position, id", playlist);
    }

    private static List<Object> titles(Row playlist) {
        return playlist.related("tracks").stream().map(track -> track.get("title")).toList();
    }

    @Test
    void childrenCreatedWithTheirRecordAreNumberedFromZeroInTheOrderGivenAndLoadedInThatOrder() {
        Row playlist = ashlar.create("playlist", Map.of("name", "mix", "tracks", List.of(Map.of("title", "c"),
                Map.of("title", "a"), Map.of("title", "b", "position", 99))), Manage.relationship("tracks").create());

        assertThat(positions(playlist.get("id"))).containsExactly(Map.of("title", "c", "position", 0),
                Map.of("title", "a", "position", 1), Map.of("title", "b", "position", 2));
        assertThat(titles(playlist)).containsExactly("c", "a", "b");
        // Rows numbered against their keys' order by plain SQL load by position too.
        db.execute("UPDATE tracks SET position = 2 - position");
        assertThat(titles(ashlar.read("playlist").load("tracks").list().get(0))).containsExactly("b", "a", "c");
    }

    @Test
    void directControlNumbersTheGivenListFromZeroAndDestroysTheRecordsLeftOut() {
        Row playlist = ashlar.create("playlist", Map.of("name", "mix", "tracks", List.of(Map.of("title", "a"),
                Map.of("title", "b"), Map.of("title", "c"))), Manage.relationship("tracks").create());
        List<Row> tracks = playlist.related("tracks");

        Row updated = ashlar.update(playlist, Map.of("tracks", List.of(Map.of("id", tracks.get(2).get("id")),
                        Map.of("title", "d"), Map.of("id", tracks.get(0).get("id"), "title", "a2"))),
                Manage.relationship("tracks").directControl());

        assertThat(positions(playlist.get("id"))).containsExactly(Map.of("title", "c", "position", 0),
                Map.of("title", "d", "position", 1), Map.of("title", "a2", "position", 2));
        assertThat(titles(updated)).containsExactly("c", "d", "a2");
        assertThat(db.value("SELECT count(*) FROM tracks WHERE title = 'b'")).isEqualTo(0L);
    }

    @Test
    void recordsAppendedOrCreatedOnAnExistingListComeAfterTheHighestPosition() {
        Row playlist = ashlar.create("playlist", Map.of("name", "mix", "tracks", List.of(Map.of("title", "a"),
                Map.of("title", "b"))), Manage.relationship("tracks").create());
        Row loose = ashlar.create("track", Map.of("title", "loose"));

        ashlar.update(playlist, Map.of("tracks", List.of(loose.get("id"))), Manage.relationship("tracks").append());
        Row updated = ashlar.update(playlist, Map.of("tracks", List.of(Map.of("title", "new"))),
                Manage.relationship("tracks").create());

        assertThat(positions(playlist.get("id"))).containsExactly(Map.of("title", "a", "position", 0),
                Map.of("title", "b", "position", 1), Map.of("title", "loose", "position", 2),
                Map.of("title", "new", "position", 3));
        assertThat(titles(updated)).containsExactly("a", "b", "loose", "new");
    }

    @Test
    void anOrderColumnThatIsNoIntegerAttributeOfTheDestinationOrOnAnotherKindIsRefusedNamingIt() {
        assertThatThrownBy(() -> Domain.builder("d")
                .resource(Resource.builder("playlist").integerPrimaryKey("id")
                        .hasMany("tracks", "track", r -> r.orderColumn("title")).build())
                .resource(Resource.builder("track").integerPrimaryKey("id").attribute("title", TEXT)
                        .belongsTo("playlist", "playlist").build())
                .build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'title' of track")
                .hasMessageContaining("make it INTEGER");
        assertThatThrownBy(() -> Resource.builder("track").integerPrimaryKey("id")
                .belongsTo("playlist", "playlist", r -> r.orderColumn("position")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("orderColumn");
    }
}
