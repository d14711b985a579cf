package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.PartitionMethod;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tables partitioned by list, and their partitions made for a key at run time (AshPostgres's partitioning). */
class PartitionsTest extends DomainDatabaseTest {

    static final Domain DOMAIN = Domain.builder("partitions")
            .resource(Resource.builder("partitioned_post").table("partitioned_posts")
                    .integerPrimaryKey("id")
                    .attribute("key", INTEGER, a -> a.notNull().primaryKey())
                    .attribute("title", TEXT)
                    .partitionBy(PartitionMethod.LIST, "key")
                    .build())
            .resource(Resource.builder("region_note").table("region_notes")
                    .attribute("region", TEXT, a -> a.notNull().primaryKey())
                    .attribute("body", TEXT)
                    .partitionBy(PartitionMethod.LIST, "region")
                    .build())
            .build();

    PartitionsTest() {
        super(DOMAIN);
    }

    @Test
    void theTableIsCreatedPartitionedByListAndTakesRowsOnceTheKeysPartitionExists() {
        assertThat(db.value("SELECT partstrat::text FROM pg_partitioned_table "
                + "WHERE partrelid = 'public.partitioned_posts'::regclass")).isEqualTo("l");
        assertThat(ashlar.partitionExists("partitioned_post", 1)).isFalse();

        assertThat(ashlar.createPartition("partitioned_post", 1)).isTrue();
        assertThat(ashlar.createPartition("partitioned_post", 1)).isFalse();

        assertThat(ashlar.partitionExists("partitioned_post", 1)).isTrue();
        assertThat(db.value("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                + "ON c.oid = i.inhrelid WHERE i.inhparent = 'public.partitioned_posts'::regclass "
                + "AND c.relname = 'partitioned_posts_1'")).isEqualTo("FOR VALUES IN (1)");
        Row stored = ashlar.create("partitioned_post", Map.of("key", 1, "title", "one"));
        assertThat(db.value("SELECT tableoid::regclass::text FROM partitioned_posts WHERE id = ?", stored.get("id")))
                .isEqualTo("partitioned_posts_1");
    }

    @Test
    void callersCreatingOnePartitionAtOnceAllSucceedAndExactlyOneOfThemMadeIt() throws Exception {
        for (int key = 100; key < 130; key++) {
            int partition = key;
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
            List<java.util.concurrent.CompletableFuture<Boolean>> callers = java.util.stream.IntStream.range(0, 4)
                    .mapToObj(i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return ashlar.createPartition("partitioned_post", partition);
                    })).toList();

            List<Boolean> made = new java.util.ArrayList<>();
            for (java.util.concurrent.CompletableFuture<Boolean> caller : callers) {
                made.add(caller.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }

            assertThat(made).as("partition %s", key).containsOnlyOnce(true);
            assertThat(db.value("SELECT count(*) FROM pg_inherits WHERE inhrelid = to_regclass(?)",
                    "public.partitioned_posts_" + key)).isEqualTo(1L);
        }
    }

    @Test
    void aRowWithoutItsKeysPartitionIsRefusedNamingTheKeyAndHowToCreateIt() {
        assertThatThrownBy(() -> ashlar.create("partitioned_post", Map.of("key", 7, "title", "seven")))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.field()).isEqualTo("key");
                            assertThat(error.message()).isEqualTo("has no partition for 7: create it first, e.g. "
                                    + "ashlar.createPartition(\"partitioned_post\", 7)");
                        }));
    }

    @Test
    void aHostileKeyIsWrittenByTheServerAsOneLiteral() {
        String hostile = "eu'); DROP TABLE region_notes; --";

        assertThat(ashlar.createPartition("region_note", hostile)).isTrue();

        assertThat(db.value("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c WHERE c.relname = ?",
                "region_notes_" + hostile)).isEqualTo("FOR VALUES IN ('eu''); DROP TABLE region_notes; --')");
        ashlar.create("region_note", Map.of("region", hostile, "body", "kept"));
        assertThat(ashlar.read("region_note").count()).isEqualTo(1);
    }

    @Test
    void aKeyThatIsNoValueOfTheAttributeOrMakesTooLongANameIsRefused() {
        assertThatThrownBy(() -> ashlar.createPartition("partitioned_post", "one"))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("invalid input syntax for type integer");
        assertThatThrownBy(() -> ashlar.createPartition("region_note", "x".repeat(60)))
                .isInstanceOf(QueryException.class).hasMessageContaining("would be named 'region_notes_xxx")
                .hasMessageContaining("63");
        assertThatThrownBy(() -> ashlar.createPartition("region_note", null))
                .isInstanceOf(QueryException.class).hasMessageContaining("give one that is not null");
        assertThat(db.value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.partitioned_posts'::regclass "
                + "AND inhrelid::regclass::text = 'partitioned_posts_one'")).isEqualTo(0L);
    }

    @Test
    void aTenantsPartitionIsMadeInItsOwnSchemaOnly() {
        db.execute("CREATE SCHEMA part_a; CREATE SCHEMA part_b");
        for (String tenant : List.of("part_a", "part_b")) {
            db.execute("CREATE TABLE " + tenant + ".partitioned_posts (id serial, key integer NOT NULL, title text, "
                    + "PRIMARY KEY (id, key)) PARTITION BY LIST (key)");
        }
        try (Ashlar tenants = Fixtures.ashlar(db, DOMAIN, OneResourceTenancy.schemas("partitioned_post"))) {
            assertThat(tenants.withTenant("part_a").createPartition("partitioned_post", 3)).isTrue();

            assertThat(tenants.withTenant("part_a").partitionExists("partitioned_post", 3)).isTrue();
            assertThat(tenants.withTenant("part_b").partitionExists("partitioned_post", 3)).isFalse();
            assertThat(db.query("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE c.relname = 'partitioned_posts_3'")).extracting(row -> row.get("nspname"))
                    .containsExactly("part_a");
        }
    }

    @Test
    void aPartitionKeyTheUniqueIndexesCannotHoldIsRefusedWhenTheResourceIsBuilt() {
        assertThatThrownBy(() -> Resource.builder("p").table("p").integerPrimaryKey("id").attribute("key", INTEGER)
                .partitionBy(PartitionMethod.LIST, "key").build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("its primary key must include it").hasMessageContaining("a -> a.primaryKey()");
        assertThatThrownBy(() -> Resource.builder("p").table("p").integerPrimaryKey("id")
                .attribute("key", INTEGER, a -> a.primaryKey()).attribute("email", TEXT)
                .identity("unique_email", "email").partitionBy(PartitionMethod.HASH, "key").build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("identity 'unique_email' must include it");
        assertThatThrownBy(() -> Resource.builder("p").table("p").integerPrimaryKey("id")
                .partitionBy(PartitionMethod.RANGE, "day").build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("names 'day', which is no attribute");
        assertThatThrownBy(() -> Resource.builder("p").table("p").integerPrimaryKey("id")
                .createTableOptions("WITH (fillfactor = 70)").partitionBy(PartitionMethod.RANGE, "id").build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("remove createTableOptions");
        assertThat(Resource.builder("p").table("p").integerPrimaryKey("id").partitionBy(PartitionMethod.HASH, "id")
                .build().tableOptions().createTableOptions()).isEqualTo("PARTITION BY HASH (\"id\")");
    }
}
