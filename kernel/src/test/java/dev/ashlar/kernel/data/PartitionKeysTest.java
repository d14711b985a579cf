package dev.ashlar.kernel.data;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.PartitionMethod;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.ashlar.api.resource.Type.DATE;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** List partitions made for keys of several types, by callers at the same time, and inside a transaction. */
class PartitionKeysTest extends DomainDatabaseTest {

    static final Domain DOMAIN = Domain.builder("partition_keys")
            .resource(Resource.builder("visit").table("pk_visits")
                    .attribute("day", DATE, a -> a.notNull().primaryKey())
                    .attribute("site", UUID, a -> a.notNull().primaryKey())
                    .partitionBy(PartitionMethod.LIST, "day")
                    .build())
            .resource(Resource.builder("badge").table("pk_badges")
                    .attribute("owner", UUID, a -> a.notNull().primaryKey())
                    .partitionBy(PartitionMethod.LIST, "owner")
                    .build())
            .resource(Resource.builder("level").table("pk_levels")
                    .attribute("n", dev.ashlar.api.resource.Type.INTEGER, a -> a.notNull().primaryKey())
                    .partitionBy(PartitionMethod.LIST, "n")
                    .build())
            .resource(Resource.builder("word").table("pk_words")
                    .attribute("lang", TEXT, a -> a.notNull().primaryKey())
                    .partitionBy(PartitionMethod.LIST, "lang")
                    .build())
            .build();

    PartitionKeysTest() {
        super(DOMAIN);
    }

    @Test
    void dateAndUuidKeysMakePartitionsThatTakeTheirRows() {
        LocalDate day = LocalDate.of(2026, 12, 3);
        java.util.UUID owner = java.util.UUID.fromString("0b7e7d2e-6a4b-4b43-9c1e-1f7a2b3c4d5e");

        assertThat(ashlar.createPartition("visit", day)).isTrue();
        assertThat(ashlar.createPartition("badge", owner)).isTrue();

        ashlar.create("visit", Map.of("day", day, "site", owner));
        ashlar.create("badge", Map.of("owner", owner));
        assertThat(db.value("SELECT tableoid::regclass::text FROM pk_visits")).isEqualTo("\"pk_visits_2026-12-03\"");
        assertThat(db.value("SELECT tableoid::regclass::text FROM pk_badges"))
                .isEqualTo("\"pk_badges_0b7e7d2e-6a4b-4b43-9c1e-1f7a2b3c4d5e\"");
    }

    @Test
    void aMultibyteNameIsMeasuredInBytes() {
        String fits = "é".repeat(27);     // "pk_words_" is 9 bytes: 9 + 54 = 63
        assertThat(ashlar.createPartition("word", fits)).isTrue();
        assertThat(ashlar.partitionExists("word", fits)).isTrue();
        assertThatThrownBy(() -> ashlar.createPartition("word", fits + "e"))
                .isInstanceOf(QueryException.class).hasMessageContaining("63");
    }

    @Test
    void callersCreatingOnePartitionAtOnceMakeItOnceAndNoneFails() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> ashlar.createPartition("word", "race"));
            }
            List<Boolean> made = new ArrayList<>();
            for (Future<Boolean> call : pool.invokeAll(calls)) {
                made.add(call.get());
            }
            assertThat(made).containsOnlyOnce(true);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPartitionMadeInsideATransactionTakesRowsInItAndIsGoneWhenItRollsBack() {
        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            assertThat(tx.createPartition("word", "tx")).isTrue();
            tx.create("word", Map.of("lang", "tx"));
            assertThat(tx.partitionExists("word", "tx")).isTrue();
            throw new IllegalStateException("roll back");
        })).hasMessage("roll back");

        assertThat(ashlar.partitionExists("word", "tx")).isFalse();
    }

    @Test
    void aKeyWrittenAnotherWayIsTheSameValueAndSoTheSamePartition() {
        assertThat(ashlar.createPartition("level", 1)).isTrue();

        assertThat(ashlar.partitionExists("level", "01")).isTrue();
        assertThat(ashlar.createPartition("level", "01")).isFalse();
        assertThat(db.value("SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.pk_levels'::regclass"))
                .isEqualTo(1L);
    }
}
