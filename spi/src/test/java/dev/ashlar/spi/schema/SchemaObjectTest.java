package dev.ashlar.spi.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaObjectTest {
    private static final String UP = "ALTER TABLE \"posts\" ADD CONSTRAINT \"posts_rating_check\" CHECK (rating > 0);";
    private static final String DOWN = "ALTER TABLE \"posts\" DROP CONSTRAINT \"posts_rating_check\";";

    @Test
    void buildsTheUsualObjectFromItsNameKindAndSql() {
        SchemaObject check = SchemaObject.builder("posts_rating_check", ObjectKind.CHECK)
                .definition(Map.of("expression", "rating > 0"))
                .up("  " + UP + "\n")
                .down(DOWN)
                .build();

        assertThat(check.kind().name()).isEqualTo("check");
        assertThat(check.up()).isEqualTo(UP);
        assertThat(check.dependsOn()).isEmpty();
        assertThat(check.transactional()).isTrue();
        assertThat(check.requires()).isNull();
        assertThat(check.onlyOnTableDrop()).isFalse();
    }

    @Test
    void keepsEveryValueGivenToTheBuilder() {
        ObjectKey postsKey = ObjectKey.ofTable(Scope.MAIN, "public", "posts");
        SchemaObject index = SchemaObject.builder("posts_slug_index", ObjectKind.INDEX)
                .up("CREATE INDEX CONCURRENTLY ...").down("DROP INDEX CONCURRENTLY ...")
                .dependsOn(postsKey).dependsOn(List.of(postsKey.on("posts_pkey")))
                .nonTransactional()
                .requires(new ServerRequirement(15, "NULLS NOT DISTINCT"))
                .onlyOnTableDrop()
                .build();

        assertThat(index.dependsOn()).containsExactly(postsKey, postsKey.on("posts_pkey"));
        assertThat(index.transactional()).isFalse();
        assertThat(index.requires().majorVersion()).isEqualTo(15);
        assertThat(index.onlyOnTableDrop()).isTrue();
        assertThat(index.toBuilder().build()).isEqualTo(index);
    }

    @Test
    void refusesANameThatPostgresqlWouldTruncate() {
        String name = "posts_" + "x".repeat(60);

        assertThatThrownBy(() -> SchemaObject.builder(name, ObjectKind.CHECK).up(UP).down(DOWN).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("the check name '" + name + "' is 66 bytes long; PostgreSQL keeps only 63");
    }

    @Test
    void refusesALineBreakInANameThatTheMigrationFileWritesInAComment() {
        // "-- add check posts_check\nDROP TABLE users; on ..." would run the second line as SQL.
        String name = "posts_check\nDROP TABLE users;";

        assertThatThrownBy(() -> SchemaObject.builder(name, ObjectKind.CHECK).up(UP).down(DOWN).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("contains a control character");
    }

    @Test
    void refusesControlCharactersInTheKindAndTheServerRequirement() {
        assertThatThrownBy(() -> ObjectKind.of("trigger\rDROP TABLE users;"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("contains a control character");
        assertThatThrownBy(() -> ObjectKind.of(" "))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> new ServerRequirement(15, "NULLS NOT DISTINCT\nDROP TABLE users;"))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("contains a control character");
    }

    @Test
    void refusesAnObjectWithoutItsSql() {
        assertThatThrownBy(() -> SchemaObject.builder("posts_rating_check", ObjectKind.CHECK).down(DOWN).build())
                .isInstanceOf(PluginException.class)
                .hasMessage("The check 'posts_rating_check' has no up SQL: give it with up(...) before build()");
    }

    @Test
    void aPluginNamesAKindOfItsOwn() {
        SchemaObject view = SchemaObject.builder("posts_summary", ObjectKind.of("materialized_view"))
                .up("CREATE MATERIALIZED VIEW ...").down("DROP MATERIALIZED VIEW ...").build();

        assertThat(view.kind()).isEqualTo(ObjectKind.of("materialized_view"));
        assertThat(view.kind()).hasToString("materialized_view");
    }
}
