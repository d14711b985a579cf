package dev.ashlar.kernel.snapshot;

import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotJsonTest {
    /** A snapshot as earlier versions wrote it, with its dependency keys as text. */
    private static final String COMMENTS = """
            {
              "columns" : [
                {
                  "default" : null,
                  "identity" : true,
                  "name" : "id",
                  "nullable" : false,
                  "type" : "bigint"
                },
                {
                  "default" : null,
                  "identity" : false,
                  "name" : "post_id",
                  "nullable" : false,
                  "type" : "bigint"
                }
              ],
              "dropped" : false,
              "format" : 1,
              "objects" : [
                {
                  "definition" : {
                    "columns" : [
                      "post_id"
                    ],
                    "references" : "posts"
                  },
                  "depends_on" : [
                    "blog.posts/posts_slug_index",
                    "blog.posts"
                  ],
                  "down" : "ALTER TABLE \\"blog\\".\\"comments\\" DROP CONSTRAINT \\"comments_post_id_fkey\\";",
                  "kind" : "foreign_key",
                  "name" : "comments_post_id_fkey",
                  "requires" : {
                    "feature" : "ON DELETE SET NULL (columns)",
                    "major_version" : 15
                  },
                  "transactional" : true,
                  "up" : "ALTER TABLE \\"blog\\".\\"comments\\" ADD CONSTRAINT \\"comments_post_id_fkey\\" FOREIGN KEY (\\"post_id\\") REFERENCES \\"blog\\".\\"posts\\" (\\"id\\");"
                },
                {
                  "definition" : { },
                  "depends_on" : [ ],
                  "down" : "DROP MATERIALIZED VIEW comment_counts;",
                  "kind" : "materialized_view",
                  "name" : "comment_counts",
                  "only_on_table_drop" : true,
                  "transactional" : false,
                  "up" : "CREATE MATERIALIZED VIEW comment_counts AS SELECT 1;"
                }
              ],
              "primary_key" : [
                "id"
              ],
              "resource" : "comment",
              "schema" : "blog",
              "scope" : "main",
              "table" : "comments"
            }
            """;

    @Test
    void readsAnExistingSnapshotIntoTypedKeysAndKindsAndWritesTheSameBytes() {
        Table comments = SnapshotJson.read(COMMENTS, "blog/comments/20260101000000.json").table();

        SchemaObject key = comments.object("comments_post_id_fkey").orElseThrow();
        assertThat(key.kind()).isEqualTo(ObjectKind.FOREIGN_KEY);
        assertThat(key.dependsOn()).containsExactly(
                new ObjectKey("blog", "posts", "posts_slug_index"), new ObjectKey("blog", "posts", null));
        assertThat(comments.object("comment_counts").orElseThrow().kind()).isEqualTo(ObjectKind.of("materialized_view"));
        assertThat(SnapshotJson.write(comments, false)).isEqualTo(COMMENTS);
    }

    @Test
    void createTableOptionsAreWrittenOnlyWhenSetAndReadBack() {
        Table comments = SnapshotJson.read(COMMENTS, "blog/comments/20260101000000.json").table();
        Table partitioned = new Table(comments.scope(), comments.schema(), comments.name(), comments.resource(),
                comments.columns(), comments.primaryKey(), comments.objects(), "PARTITION BY RANGE (id)");

        String text = SnapshotJson.write(partitioned, false);

        assertThat(comments.options()).isNull();
        assertThat(text).contains("\"create_table_options\" : \"PARTITION BY RANGE (id)\"");
        assertThat(SnapshotJson.read(text, "blog/comments/20260102000000.json").table()).isEqualTo(partitioned);
    }

    @Test
    void extensionsRoundTripThroughTheirOwnSnapshot() {
        String text = SnapshotJson.writeExtensions(java.util.List.of("citext", "uuid-ossp"));

        assertThat(SnapshotJson.readExtensions(text, "_extensions/20260101000000.json"))
                .containsExactly("citext", "uuid-ossp");
    }
}
