package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;
import dev.ashlar.testing.TestDatabase;

import java.util.List;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.BINARY;
import static dev.ashlar.api.resource.Type.BOOLEAN;
import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.DECIMAL;
import static dev.ashlar.api.resource.Type.DOUBLE;
import static dev.ashlar.api.resource.Type.FLOAT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.JSON;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIME;
import static dev.ashlar.api.resource.Type.TIMESTAMP;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static dev.ashlar.api.resource.Type.UUID;
import static dev.ashlar.api.resource.Type.arrayOf;
import static dev.ashlar.api.resource.Type.decimal;
import static dev.ashlar.api.resource.Type.enumOf;
import static dev.ashlar.api.resource.Type.varchar;

/** The sample domain of the data-layer tests, and a way to create its tables on a test database. */
final class Fixtures {
    enum Status { DRAFT, PUBLISHED, ARCHIVED }

    /** Every scalar attribute type, by attribute name. */
    static final List<Object[]> SCALARS = List.of(
            new Object[]{"i", INTEGER}, new Object[]{"b", BIGINT}, new Object[]{"flag", BOOLEAN},
            new Object[]{"u", UUID}, new Object[]{"f", FLOAT}, new Object[]{"d", DOUBLE},
            new Object[]{"day", DATE}, new Object[]{"at_time", TIME}, new Object[]{"ts", TIMESTAMP},
            new Object[]{"tstz", TIMESTAMPTZ}, new Object[]{"bin", BINARY}, new Object[]{"doc", JSON},
            new Object[]{"txt", TEXT}, new Object[]{"short_text", varchar(5)},
            new Object[]{"amount", decimal(10, 2)}, new Object[]{"big", DECIMAL},
            new Object[]{"status", enumOf(Status.class)});

    static final Domain BLOG = Domain.builder("blog")
            .resource(Resource.builder("author").table("authors")
                    .bigintPrimaryKey("id")
                    .attribute("email", varchar(60), a -> a.notNull())
                    .attribute("handle", TEXT)
                    .attribute("name", TEXT)
                    .attribute("age", INTEGER)
                    .identity("unique_email", "email")
                    .identity("unique_handle", List.of("handle"), "is taken by someone else", false)
                    .build())
            .resource(Resource.builder("post").table("posts")
                    .integerPrimaryKey("id")
                    .attribute("title", varchar(20), a -> a.notNull())
                    .attribute("body", TEXT)
                    .attribute("rating", INTEGER)
                    .attribute("score", DOUBLE)
                    .attribute("status", enumOf(Status.class), a -> a.notNull().defaultValue("DRAFT"))
                    .attribute("tags", arrayOf(TEXT))
                    .attribute("published_at", TIMESTAMPTZ)
                    .attribute("author_id", BIGINT)
                    .attribute("inserted_at", TIMESTAMPTZ, a -> a.notNull().defaultSql("now()"))
                    .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
                    .build())
            .resource(typed("scalar_sample", false))
            .resource(typed("array_sample", true))
            .build();

    private Fixtures() {
    }

    /** A resource with an attribute of every scalar type, and with {@code arrays} one array of each too. */
    private static Resource typed(String name, boolean arrays) {
        ResourceBuilder builder = Resource.builder(name).uuidPrimaryKey("id");
        for (Object[] scalar : SCALARS) {
            builder.attribute((String) scalar[0], (Type) scalar[1]);
            if (arrays) {
                builder.attribute(scalar[0] + "_list", arrayOf((Type) scalar[1]));
            }
        }
        return builder.build();
    }

    /** Creates the domain's extensions and tables (once per database) and an Ashlar on the database's pool. */
    static Ashlar ashlar(TestDatabase db, Domain domain, AshlarPlugin... plugins) {
        if (db.query("SELECT 1 FROM pg_tables WHERE tablename = ?", domain.resources().get(0).table()).isEmpty()) {
            domain.extensions().forEach(extension -> db.execute("CREATE EXTENSION IF NOT EXISTS "
                    + dev.ashlar.api.sql.Identifiers.quote(extension)));
            // Every table before any key between them, whatever the order of the domain's resources.
            List<Table> tables = new SchemaBuilder(domain, Plugins.none()).build().tables();
            tables.forEach(table -> db.execute(TableDdl.createTable(table)));
            tables.forEach(table -> table.objects().forEach(object -> db.execute(object.up())));
        }
        Ashlar.Builder builder = Ashlar.builder().dataSource(db.dataSource()).domain(domain);
        for (AshlarPlugin plugin : plugins) {
            builder.install(plugin);
        }
        return builder.build();
    }

    static Ashlar blog(TestDatabase db) {
        return ashlar(db, BLOG);
    }
}
