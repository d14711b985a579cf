package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.TypedBlog.Tag;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Typed writes refuse what they could not carry through before anything is stored: a record with a component the
 * resource does not declare (it would be stored, then fail to come back as the record), or no record at all.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedRecordShapeTest {
    /** A label whose record also holds {@code note}, which the resource never declared. */
    record Label(Integer id, String name, String note) {
        static final Table<Label> LABELS = Table.of("label", Label.class);
        static final Field<Label, Integer> ID = LABELS.integerPrimaryKey("id");
        static final TextField<Label> NAME = LABELS.attribute("name", TEXT);
        static final Resource RESOURCE = LABELS.builder().table("labels").add(ID, NAME).build();
    }

    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase database) {
        db = database;
        ashlar = Fixtures.ashlar(db, Domain.builder("labels").resources(Label.RESOURCE, Tag.RESOURCE)
                .build());
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE labels RESTART IDENTITY");
    }

    @Test
    void aCreateOfARecordWithAComponentTheResourceLacksStoresNothing() {
        assertThatThrownBy(() -> ashlar.create(Label.LABELS, new Label(null, "urgent", null)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("has a component for 'note', which is no attribute of label [id, name]")
                .hasMessageContaining("nothing was written");
        assertThatThrownBy(() -> ashlar.createAll(Label.LABELS, List.of(new Label(null, "a", null))))
                .hasMessageContaining("'note'");
        assertThatThrownBy(() -> ashlar.upsert(Label.LABELS, new Label(null, "b", null),
                Label.LABELS.identity("unique_name", Label.NAME).doNothing())).hasMessageContaining("'note'");

        assertThat(db.query("SELECT count(*) AS n FROM labels").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void anUpdateOfSuchARecordLeavesTheStoredRowAsItWas() {
        db.execute("INSERT INTO labels (name) VALUES ('urgent')");

        assertThatThrownBy(() -> ashlar.update(Label.LABELS, new Label(1, "urgent", null), Label.NAME.set("later")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'note'");

        assertThat(db.query("SELECT name FROM labels WHERE id = 1").get(0).get("name")).isEqualTo("urgent");
    }

    @Test
    void aNullRecordIsRefusedNamingTheActionThatWasGivenIt() {
        Tag missing = null;

        assertThatThrownBy(() -> ashlar.create(Tag.TAGS, missing))
                .hasMessage("Ashlar.create was given null for its record; give one");
        assertThatThrownBy(() -> ashlar.update(Tag.TAGS, missing, Tag.NAME.set("x")))
                .hasMessage("Ashlar.update was given null for its record; give one");
        assertThatThrownBy(() -> ashlar.destroy(Tag.TAGS, missing))
                .hasMessage("Ashlar.destroy was given null for its record; give one");
    }
}
