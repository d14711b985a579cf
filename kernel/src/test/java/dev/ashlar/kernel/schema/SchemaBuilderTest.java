package dev.ashlar.kernel.schema;

import dev.ashlar.kernel.plugin.TestPlugins;
import dev.ashlar.spi.plugin.SchemaContributor;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.varchar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(PostgresExtension.class)
class SchemaBuilderTest {

    /** A plugin as a third party would write one: it adds a check on resources that ask for it. */
    static final class PositiveRatingPlugin implements AshlarPlugin, SchemaContributor {
        @Override
        public String id() {
            return "positive-rating";
        }

        @Override
        public List<SchemaObject> schemaObjects(SchemaContext context) {
            if (context.resource().attribute("rating").isEmpty()) {
                return List.of();
            }
            String name = context.resource().table() + "_rating_positive";
            return List.of(SchemaObject.builder(name, ObjectKind.CHECK).definition(Map.of("expression", "rating > 0"))
                    .up("ALTER TABLE " + context.tableSql() + " ADD CONSTRAINT \"" + name + "\" CHECK (rating > 0);")
                    .down("ALTER TABLE " + context.tableSql() + " DROP CONSTRAINT \"" + name + "\";")
                    .build());
        }
    }

    private static final Domain BLOG = Domain.builder("blog")
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", varchar(100), a -> a.notNull().defaultValue("untitled"))
                    .attribute("tags", arrayOf(TEXT))
                    .attribute("rating", INTEGER)
                    .attribute("published_at", TIMESTAMPTZ, a -> a.defaultSql("now()"))
                    .identity("unique_title", "title")
                    .build())
            .build();

    @Test
    void createsTablesIdentityIndexesAndPluginObjectsThatTheCatalogShows(TestDatabase db) {
        DesiredSchema schema = new SchemaBuilder(BLOG, Plugins.none().with(new PositiveRatingPlugin())).build();
        Table posts = schema.tables().get(0);

        db.execute(TableDdl.createTable(posts));
        posts.objects().forEach(object -> db.execute(object.up()));

        assertThat(db.query("SELECT column_name, data_type, is_nullable, column_default, is_identity "
                + "FROM information_schema.columns WHERE table_name = 'posts' ORDER BY ordinal_position"))
                .extracting(row -> row.get("column_name") + " " + row.get("data_type") + " " + row.get("is_nullable")
                        + " " + row.get("column_default") + " " + row.get("is_identity"))
                .containsExactly(
                        "id integer NO null YES",
                        "title character varying NO 'untitled'::character varying NO",
                        "tags ARRAY YES null NO",
                        "rating integer YES null NO",
                        "published_at timestamp with time zone YES now() NO");
        assertThat(db.value("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_unique_title_index'"))
                .isEqualTo("CREATE UNIQUE INDEX posts_unique_title_index ON public.posts USING btree (title)");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'posts_rating_positive'"))
                .isEqualTo("CHECK ((rating > 0))");
        assertThat(db.value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'posts_pkey'"))
                .isEqualTo("PRIMARY KEY (id)");
    }

    @Test
    void leavesResourcesAloneWhenAPluginHasNothingToSayAboutThem() {
        Domain plain = Domain.builder("plain")
                .resource(Resource.builder("tag").integerPrimaryKey("id").attribute("label", TEXT).build())
                .build();

        DesiredSchema schema = new SchemaBuilder(plain, Plugins.none().with(new PositiveRatingPlugin())).build();

        assertThat(schema.tables().get(0).objects()).isEmpty();
    }

    @Test
    void refusesAPluginObjectNameOverSixtyThreeBytesNamingTheResourceAndTheSection() {
        AshlarPlugin longNames = new TestPlugins.Contributor() {
            @Override
            public String id() {
                return "long-names";
            }

            @Override
            public List<SchemaObject> schemaObjects(SchemaContext context) {
                String name = context.resource().table() + "_" + "x".repeat(60);
                return List.of(SchemaObject.builder(name, ObjectKind.INDEX).up("SELECT 1;").down("SELECT 1;").build());
            }
        };

        assertThatThrownBy(() -> new SchemaBuilder(BLOG, Plugins.none().with(longNames)).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("Domain 'blog': resource 'post', 'posts_xxx")
                .hasMessageContaining("is 66 bytes long; PostgreSQL keeps only 63")
                .hasMessageEndingWith("(in the 'long-names' section; set a shorter name there)");
    }

    @Test
    void refusesAPluginObjectNameWithALineBreakBeforeItReachesAMigrationComment() {
        AshlarPlugin injecting = new TestPlugins.Contributor() {
            @Override
            public String id() {
                return "injecting";
            }

            @Override
            public List<SchemaObject> schemaObjects(SchemaContext context) {
                String name = context.resource().table() + "_log\nDROP TABLE users;";
                return List.of(SchemaObject.builder(name, ObjectKind.STATEMENT).up("SELECT 1;").down("SELECT 1;")
                        .build());
            }
        };

        assertThatThrownBy(() -> new SchemaBuilder(BLOG, Plugins.none().with(injecting)).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageStartingWith("Domain 'blog': resource 'post'")
                .hasMessageContaining("contains a control character")
                .hasMessageContaining("(in the 'injecting' section;");
    }
}
