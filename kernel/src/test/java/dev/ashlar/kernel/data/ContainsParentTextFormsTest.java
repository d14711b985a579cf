package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.parent;
import static dev.ashlar.api.resource.Type.CITEXT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code contains(text, parent(field))} when either side is not plain text: citext on either side compares without
 * case, and a native enum parent is looked for by its label.
 */
class ContainsParentTextFormsTest extends MigratedDomainTest {
    enum Mood { happy, sad }

    static final Domain DOMAIN = Domain.builder("contains_parent_forms").extensions("citext")
            .resource(Resource.builder("writer").table("cpf_writers").integerPrimaryKey("id")
                    .attribute("name", TEXT).attribute("handle", CITEXT)
                    .attribute("mood", Type.pgEnum("cpf_mood", Mood.class))
                    .build())
            .resource(Resource.builder("note").table("cpf_notes").integerPrimaryKey("id")
                    .attribute("bio", CITEXT).attribute("body", TEXT).attribute("writer_id", INTEGER)
                    .build())
            .build();

    ContainsParentTextFormsTest() {
        super(DOMAIN, Clock.systemUTC(), "create_writers_and_notes");
    }

    @BeforeEach
    void rows() {
        db.execute("TRUNCATE cpf_writers, cpf_notes");
        ashlar.create("writer", Map.of("id", 1, "name", "alice", "handle", "ALICE", "mood", "happy"));
        ashlar.create("note", Map.of("id", 1, "bio", "Hello Alice", "body", "Hello Alice, very happy", "writer_id", 1));
    }

    private long matching(String field, String parentField) {
        return ashlar.read("writer").where(exists("@note", contains(field, parent(parentField)))).count();
    }

    @Test
    void aCitextFieldContainsAPlainTextParentWithoutCase() {
        assertThat(matching("bio", "name")).isEqualTo(1);
    }

    @Test
    void aPlainTextFieldContainsACitextParentWithoutCase() {
        assertThat(matching("body", "handle")).isEqualTo(1);
    }

    @Test
    void plainTextOnBothSidesStillComparesWithCase() {
        assertThat(matching("body", "name")).isZero();
    }

    @Test
    void aNativeEnumParentIsLookedForByItsLabel() {
        assertThat(matching("body", "mood")).isEqualTo(1);
        ashlar.update(ashlar.read("writer").one().orElseThrow(), Map.of("mood", "sad"));
        assertThat(matching("body", "mood")).isZero();
    }
}
