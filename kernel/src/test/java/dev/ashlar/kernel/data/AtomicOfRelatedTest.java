package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Atomic.of("item.name")}: an update sets a field to an attribute of the record a to-one relationship reaches,
 * read in the statement itself, NULL without a related record, and only from the related records the update's tenant
 * may read.
 */
class AtomicOfRelatedTest extends DomainDatabaseTest {
    static final Resource ITEM = Resource.builder("item").table("items")
            .integerPrimaryKey("id")
            .attribute("tenant", TEXT)
            .attribute("name", TEXT)
            .hasMany("notes", "note")
            .hasOne("some_note", "note")
            .hasOne("latest_note", "note", r -> r.sort(Sort.desc("id")))
            .hasOne("label", "label")
            .hasOne("badge", "badge")
            .build();
    /** One label an item at most: a unique identity on the key the hasOne matches. */
    static final Resource LABEL = Resource.builder("label").table("labels")
            .integerPrimaryKey("id")
            .attribute("text", TEXT)
            .belongsTo("item", "item")
            .identity("one_label_per_item", "item_id")
            .build();
    /** Unique only among shown badges: hidden ones may repeat an item. */
    static final Resource BADGE = Resource.builder("badge").table("badges")
            .integerPrimaryKey("id")
            .attribute("text", TEXT)
            .attribute("shown", dev.ashlar.api.resource.Type.BOOLEAN)
            .belongsTo("item", "item")
            .identity("one_shown_badge", List.of("item_id"), i -> i.where("(shown)"))
            .build();
    static final Resource NOTE = Resource.builder("note").table("notes")
            .integerPrimaryKey("id")
            .attribute("title", TEXT)
            .belongsTo("item", "item")
            .build();

    AtomicOfRelatedTest() {
        super(Domain.builder("atomic_of_related").resources(ITEM, NOTE, LABEL, BADGE).build(),
                OneResourceTenancy.column("item", "tenant", true));
    }

    private Row acmeNote;
    private Row globexNote;
    private Row loneNote;

    @BeforeEach
    void notesWithAndWithoutAnItem() {
        db.execute("TRUNCATE notes, labels, badges, items");
        Row acme = ashlar.create("item", Map.of("tenant", "acme", "name", "anvil"));
        Row globex = ashlar.create("item", Map.of("tenant", "globex", "name", "gadget"));
        acmeNote = note(acme);
        globexNote = note(globex);
        loneNote = note(null);
    }

    private Row note(Row item) {
        Map<String, Object> values = new HashMap<>(Map.of("title", "unset"));
        values.put("item_id", item == null ? null : item.get("id"));
        return ashlar.create("note", values);
    }

    private Object title(Row note) {
        return db.value("SELECT title FROM notes WHERE id = ?", note.get("id"));
    }

    @Test
    void anUpdateSetsAFieldToTheRelatedRecordsAttributeOrNullWithoutOne() {
        int updated = ashlar.read("note").updateCount(Map.of("title", Atomic.of("item.name")));

        assertThat(updated).isEqualTo(3);
        assertThat(title(acmeNote)).isEqualTo("anvil");
        assertThat(title(globexNote)).isEqualTo("gadget");
        assertThat(title(loneNote)).isNull();
    }

    @Test
    void anUpdateOfOneRecordReadsItsOwnRelatedRecord() {
        Row updated = ashlar.update(globexNote, Map.of("title", Atomic.of("item.name")));

        assertThat(updated.get("title")).isEqualTo("gadget");
        assertThat(title(globexNote)).isEqualTo("gadget");
        assertThat(title(acmeNote)).isEqualTo("unset");
    }

    @Test
    void aTenantsUpdateNeverReadsAnotherTenantsRelatedRecord() {
        ashlar.read("note").tenant("acme").updateAll(Map.of("title", Atomic.of("item.name")));

        assertThat(title(acmeNote)).isEqualTo("anvil");
        assertThat(title(globexNote)).isNull();
        assertThat(title(loneNote)).isNull();
    }

    @Test
    void aPathThroughARelationshipOfManyRecordsIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("item").where(eq("name", "anvil"))
                .updateAll(Map.of("name", Atomic.of("notes.title"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("Atomic.of(\"notes.title\")")
                .hasMessageContaining("'notes' has many");
        assertThat(db.value("SELECT count(*) FROM items WHERE name = 'anvil'")).isEqualTo(1L);
    }

    @Test
    void aPathToNoRelationshipOrNoAttributeIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.update(acmeNote, Map.of("title", Atomic.of("itme.name"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("itme");
        assertThatThrownBy(() -> ashlar.update(acmeNote, Map.of("title", Atomic.of("item.nmae"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("nmae");
        assertThatThrownBy(() -> ashlar.update(acmeNote, Map.of("title", Atomic.of("title.a"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("Atomic.of(\"title.a\")")
                .hasMessageContaining("'title' is an attribute of note").hasMessageContaining("Atomic.sql(");
        assertThat(title(acmeNote)).isEqualTo("unset");
    }

    @Test
    void aPathThroughAHasOneTakesItsSortsFirstRecordAndOneWithoutASortIsRefused() {
        ashlar.update(acmeNote, Map.of("title", "first"));
        Row second = note(ashlar.read("item").tenant("acme").list().get(0));
        ashlar.update(second, Map.of("title", "second"));

        assertThatThrownBy(() -> ashlar.read("item").tenant("acme").updateAll(Map.of("name",
                Atomic.of("some_note.title")))).isInstanceOf(QueryException.class)
                .hasMessageContaining("hasOne 'some_note' has no sort").hasMessageContaining("r.sort(");
        assertThat(db.value("SELECT name FROM items WHERE tenant = 'acme'")).isEqualTo("anvil");

        ashlar.read("item").tenant("acme").updateAll(Map.of("name", Atomic.of("latest_note.title")));
        assertThat(db.value("SELECT name FROM items WHERE tenant = 'acme'")).isEqualTo("second");
    }

    @Test
    void aPathThroughAnUnsortedHasOneWhoseKeyIsAUniqueIdentityTakesTheOneRelatedRecord() {
        List<Row> items = ashlar.read("item").sort(Sort.asc("id")).list();
        for (int i = 0; i < 200; i++) {
            Row item = ashlar.create("item", Map.of("tenant", i % 2 == 0 ? "acme" : "globex", "name", "item " + i));
            if (i % 3 != 0) {
                ashlar.create("label", Map.of("text", "label " + i, "item_id", item.get("id")));
            }
        }
        ashlar.create("label", Map.of("text", "anvil label", "item_id", items.get(0).get("id")));

        int updated = ashlar.read("item").updateCount(Map.of("name", Atomic.of("label.text")));

        assertThat(updated).isEqualTo(202);
        assertThat(db.value("SELECT name FROM items WHERE id = ?", items.get(0).get("id"))).isEqualTo("anvil label");
        assertThat(db.value("SELECT name FROM items WHERE id = ?", items.get(1).get("id"))).isNull();
        assertThat(db.value("SELECT count(*) FROM items i JOIN labels l ON l.item_id = i.id WHERE i.name = l.text"))
                .isEqualTo(134L);
        assertThat(db.value("SELECT count(*) FROM items WHERE name IS NULL")).isEqualTo(68L);
    }

    @Test
    void aPathThroughAnUnsortedHasOneWhoseIdentityIsPartialIsRefusedNamingTheFix() {
        Row anvil = ashlar.read("item").tenant("acme").list().get(0);
        ashlar.create("badge", Map.of("text", "shown", "shown", true, "item_id", anvil.get("id")));
        ashlar.create("badge", Map.of("text", "hidden", "shown", false, "item_id", anvil.get("id")));

        assertThatThrownBy(() -> ashlar.read("item").tenant("acme").updateAll(Map.of("name",
                Atomic.of("badge.text")))).isInstanceOf(QueryException.class)
                .hasMessageContaining("hasOne 'badge' has no sort")
                .hasMessageContaining("identity on badge.item_id unique in the whole table");
        assertThat(db.value("SELECT name FROM items WHERE tenant = 'acme'")).isEqualTo("anvil");
    }

    @Test
    void recordsUpdatedEachByTheirKeyRefuseAnAtomicNamingTheFieldAndTheFix() {
        assertThatThrownBy(() -> ashlar.updateAll("note", List.of(Map.of("id", acmeNote.get("id"),
                "title", Atomic.of("item.name"))))).isInstanceOf(QueryException.class)
                .hasMessageContaining("'title' an Atomic").hasMessageContaining("updateAll(Map.of(\"title\"");
        assertThat(title(acmeNote)).isEqualTo("unset");
    }

    @Test
    void anUpsertTakingARelatedRecordsAttributeIsRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.upsert("note", Map.of("id", acmeNote.get("id"), "title", "x"),
                Upsert.onPrimaryKey().set("title", Atomic.of("item.name"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("Atomic.of(\"item.name\")")
                .hasMessageContaining("a related record's attribute");
        assertThat(title(acmeNote)).isEqualTo("unset");
    }
}
