package dev.ashlar.spi.schema;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectKeyTest {

    @Test
    void writesAndReadsTheTextThatSnapshotsStore() {
        ObjectKey main = ObjectKey.ofTable(Scope.MAIN, "public", "posts").on("posts_slug_index");
        ObjectKey tenant = ObjectKey.ofTable(Scope.TENANT, "public", "notes");

        assertThat(main).hasToString("public.posts/posts_slug_index");
        assertThat(tenant).hasToString("notes");
        assertThat(ObjectKey.parse("public.posts/posts_slug_index")).isEqualTo(main);
        assertThat(ObjectKey.parse("public.posts/posts_slug_index").object()).isEqualTo("posts_slug_index");
        assertThat(ObjectKey.parse("notes")).isEqualTo(tenant);
        assertThat(ObjectKey.parse("notes").schema()).isNull();
    }

    @Test
    void anObjectKeyNamesItsTable() {
        ObjectKey table = ObjectKey.ofTable(Scope.MAIN, "blog", "posts");

        assertThat(table.on("posts_pkey").tableKey()).isEqualTo(table);
        assertThat(table.object()).isNull();
    }

    @Test
    void keysWithADotInTheSchemaNameMatchTheirSnapshotText() {
        ObjectKey built = ObjectKey.ofTable(Scope.MAIN, "app.v2", "posts").on("posts_pkey");
        ObjectKey read = ObjectKey.parse(built.toString());

        assertThat(read).isEqualTo(built);
        assertThat(read.hashCode()).isEqualTo(built.hashCode());
        assertThat(read).isNotEqualTo(ObjectKey.parse("app.v2.posts/other"));
    }
}
