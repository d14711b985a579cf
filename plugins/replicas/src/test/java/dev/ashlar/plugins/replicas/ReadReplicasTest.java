package dev.ashlar.plugins.replicas;

import dev.ashlar.spi.plugin.WriteListener;
import dev.ashlar.spi.plugin.Router;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.kernel.data.Bulk;
import dev.ashlar.kernel.data.Upsert;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.api.query.Lock;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.ashlar.plugins.replicas.ReplicaFixture.STANDBY;
import static dev.ashlar.plugins.replicas.ReplicaFixture.note;
import static dev.ashlar.plugins.replicas.ReplicaFixture.readOnStandby;
import static dev.ashlar.plugins.replicas.ReplicaFixture.sees;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing, read-your-writes and health against one primary and its streaming standby. */
class ReadReplicasTest {
    /** A plugin that acts after writes. */
    private interface Listening extends AshlarPlugin, WriteListener {
    }

    /** A plugin that routes actions. */
    private interface Routing extends AshlarPlugin, Router {
    }

    private static ReplicaFixture fixture;

    @BeforeAll
    static void startThePair() {
        fixture = new ReplicaFixture();
    }

    @AfterAll
    static void stopThePair() {
        fixture.close();
    }

    /** The guide's function, in Java. */
    private static ReadReplicas guideRouting() {
        return ReadReplicas.builder().routing((resource, operation) -> switch (operation) {
            case READ -> STANDBY;
            case MUTATE -> ReadReplicas.PRIMARY;
        }).build();
    }

    @Test
    void readsGoToTheStandbyAndMutationsToThePrimary() {
        ReadReplicas replicas = guideRouting();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            assertThat(readOnStandby(ashlar, "server")).isTrue();

            Row written = note(ashlar, "written on the primary");

            assertThat(fixture.onPrimary("SELECT body FROM notes WHERE id = " + written.get("id")))
                    .isEqualTo("written on the primary");
            assertThat(replicas.metrics().readsOn(STANDBY)).isEqualTo(1);
            assertThat(replicas.metrics().readsOn(ReadReplicas.PRIMARY)).isZero();
        }
    }

    @Test
    void aRowWrittenOnThePrimaryBecomesVisibleOnTheStandby() {
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
            Row written = note(ashlar, "replicated");

            fixture.pair.awaitReplay(Duration.ofSeconds(30));

            assertThat(sees(ashlar, written)).isTrue();
            assertThat(fixture.onStandby("SELECT count(*) FROM notes WHERE id = " + written.get("id"))).isEqualTo("1");
        }
    }

    @Test
    void transactionsAndRowLocksStayOnThePrimary() {
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
            boolean inTransaction = ashlar.transaction(tx -> readOnStandby(tx, "server"));
            boolean locked = ashlar.transaction(tx -> tx.read("server").lock(Lock.FOR_UPDATE).first().orElseThrow()
                    .getBoolean("in_recovery"));

            assertThat(inTransaction).isFalse();
            assertThat(locked).isFalse();
            assertThat(readOnStandby(ashlar, "server")).isTrue();
        }
    }

    @Test
    void countsAggregatesGroupsCombinationsAndCursorsReadTheStandbyButNotInsideATransaction() {
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
            Filter onStandby = Filter.eq("in_recovery", true);
            List<Boolean> streamed = new ArrayList<>();

            ashlar.read("server").forEach(row -> streamed.add(row.getBoolean("in_recovery")));

            assertThat(ashlar.read("server").where(onStandby).count()).isEqualTo(1);
            assertThat(ashlar.read("server").where(onStandby).exists()).isTrue();
            assertThat(ashlar.read("server").where(onStandby).max("id")).isEqualTo(1);
            assertThat(ashlar.read("server").groupBy("in_recovery").count("n").list())
                    .extracting(row -> row.getBoolean("in_recovery")).containsExactly(true);
            assertThat(ashlar.read("server").union(ashlar.read("server")).list())
                    .extracting(row -> row.getBoolean("in_recovery")).containsExactly(true);
            assertThat(streamed).containsExactly(true);
            long inTransaction = ashlar.transaction(tx -> tx.read("server").where(onStandby).count());
            assertThat(inTransaction).isZero();
        }
    }

    @Test
    void tenantMigrationsRunOnThePrimaryInsideTheWriteThatNeedsThem(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("20260101000000_create_items.sql"),
                "-- migrate:up\nCREATE TABLE items (id integer);\n-- migrate:down\nDROP TABLE items;\n");
        AshlarPlugin tenantMaker = new Listening() {
            @Override
            public String id() {
                return "tenant-maker";
            }

            @Override
            public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
                schemas.createTenantSchema(event.record().getString("body"));
            }
        };
        try (Ashlar ashlar = fixture.builder(STANDBY).tenantMigrations(folder).install(tenantMaker)
                .install(ReadReplicas.builder().build()).build()) {
            note(ashlar, "tenant_acme");
        }

        assertThat(fixture.onPrimary("SELECT count(*) FROM tenant_acme.items")).isEqualTo("0");
    }

    @Test
    void replicasThatAshlarWasNotGivenAreRefusedWhenItIsBuilt() {
        ReadReplicas unknown = ReadReplicas.builder().replicas("replica-9").build();

        assertThatThrownBy(() -> fixture.ashlar(unknown, STANDBY).close())
                .isInstanceOf(PluginException.class).hasMessageContaining("[replica-9]").hasMessageContaining(STANDBY);
    }

    @Test
    void thePoolsAshlarMakesCarryTheStatementTimeout() {
        ReadReplicas replicas = ReadReplicas.builder().build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            assertThat(ashlar.read("timeout").first().orElseThrow().getString("statement_timeout")).isEqualTo("10s");
            assertThat(replicas.metrics().readsOn(STANDBY)).isEqualTo(1);
        }
    }

    @Test
    void aResourceRoutedToThePrimaryStaysThereWhileOthersReadTheStandby() {
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
            assertThat(readOnStandby(ashlar, "primary_server")).isFalse();
            assertThat(readOnStandby(ashlar, "server")).isTrue();
        }
    }

    @Test
    void readsAreBalancedInTurnAmongTheReplicas() {
        ReadReplicas replicas = ReadReplicas.builder().build();
        try (Ashlar ashlar = fixture.ashlar(replicas, "replica-a", "replica-b")) {
            for (int i = 0; i < 10; i++) {
                assertThat(readOnStandby(ashlar, "server")).isTrue();
            }

            assertThat(replicas.metrics().reads()).containsEntry("replica-a", 5L).containsEntry("replica-b", 5L)
                    .doesNotContainKey(ReadReplicas.PRIMARY);
        }
    }

    @Test
    void theLoadsAndAggregatesOfAReadComeFromTheReplicaThatServedTheRead() {
        ReadReplicas replicas = ReadReplicas.builder().build();
        // Two replicas in turn that tell apart: the standby, and the primary given as a replica.
        try (Ashlar ashlar = fixture.builder(STANDBY).replica("primary-copy", fixture.pair.primaryUrl(), "postgres", null)
                .install(replicas).build()) {
            List<Boolean> parents = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Row server = ashlar.read("server").load("probe").load("probed_in_recovery").first().orElseThrow();

                parents.add(server.getBoolean("in_recovery"));
                assertThat(server.relatedOne("probe").orElseThrow().getBoolean("in_recovery"))
                        .as("the probe loaded on read " + (i + 1)).isEqualTo(server.getBoolean("in_recovery"));
                assertThat(server.getBoolean("probed_in_recovery"))
                        .as("the aggregate of read " + (i + 1)).isEqualTo(server.getBoolean("in_recovery"));
            }

            assertThat(parents).containsExactly(true, false, true, false);
            assertThat(replicas.metrics().reads()).containsEntry(STANDBY, 4L).containsEntry("primary-copy", 4L);
        }
    }

    @Test
    void aReplicaThatRefusesConnectionsLeavesTheRotationAndTheOthersServeItsReads() {
        ReadReplicas replicas = ReadReplicas.builder().checkEvery(Duration.ofHours(1)).build();
        try (Ashlar ashlar = fixture.builder("replica-a").replica("refusing", "jdbc:postgresql://localhost:1/postgres",
                "postgres", null).replica("replica-b", fixture.pair.standbyUrl(), "postgres", null)
                .install(replicas).build()) {
            for (int i = 0; i < 4; i++) {
                assertThat(readOnStandby(ashlar, "server")).isTrue();
            }

            assertThat(replicas.metrics().outOfRotation()).containsExactly("refusing");
            assertThat(replicas.metrics().reads()).containsEntry("replica-a", 2L).containsEntry("replica-b", 2L)
                    .doesNotContainKeys("refusing", ReadReplicas.PRIMARY);
            assertThat(replicas.metrics().fallbacks()).isZero();
        }
    }

    @Test
    void aRoutingThatSendsMutationsToAReplicaIsRefusedWhenAshlarIsBuilt() {
        ReadReplicas misrouted = ReadReplicas.builder().routing((resource, operation) -> STANDBY).build();

        assertThatThrownBy(() -> fixture.ashlar(misrouted, STANDBY).close())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p.resource()).isEqualTo("note")))
                .hasMessageContaining("mutations to '" + STANDBY + "'");
    }

    @Test
    void aRoutingThatAnswersNullIsRefusedNamingTheResourceAndTheAnswersItMayGive() {
        ReadReplicas silent = ReadReplicas.builder().routing((resource, operation) -> null).build();

        assertThatThrownBy(() -> fixture.ashlar(silent, STANDBY).close())
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p.resource()).isEqualTo("note")))
                .hasMessageContaining("answered null for READ").hasMessageContaining("answered null for MUTATE")
                .hasMessageContaining("ReadReplicas.PRIMARY, ReadReplicas.ANY_REPLICA");
    }

    @Test
    void aRoutingThatAnswersNullLaterFailsTheReadNamingTheResource() {
        boolean[] silent = {false};
        ReadReplicas replicas = ReadReplicas.builder().routing((resource, operation) ->
                silent[0] && operation == Operation.READ ? null : ReplicaRouting.DEFAULT.route(resource, operation))
                .build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            silent[0] = true;

            assertThatThrownBy(() -> ashlar.read("note").list())
                    .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.resource()).contains("note"))
                    .hasMessageContaining("Cannot route note: the routing answered null for READ");
        }
    }

    @Test
    void aMutationRoutedToAReplicaIsRefusedBeforeItIsSent() {
        AshlarPlugin misrouting = new Routing() {
            @Override
            public String id() {
                return "misrouting";
            }

            @Override
            public Optional<String> route(Resource resource, Operation operation) {
                return Optional.of(STANDBY);
            }
        };
        try (Ashlar ashlar = fixture.ashlar(misrouting, STANDBY)) {
            assertThatThrownBy(() -> note(ashlar, "never written"))
                    .isInstanceOfSatisfying(AshlarException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN);
                        assertThat(e.resource()).contains("note");
                    })
                    .hasMessageContaining("Cannot create note on data source '" + STANDBY + "'");
        }
        assertThat(fixture.onPrimary("SELECT count(*) FROM notes WHERE body = 'never written'")).isEqualTo("0");
    }

    @Test
    void aWriteOnAReadOnlyServerNamesTheDataSourceInsteadOfPostgresBareMessage() {
        try (Ashlar onStandby = Ashlar.builder().jdbcUrl(fixture.pair.standbyUrl(), "postgres", null)
                .domain(ReplicaFixture.domain()).build()) {
            assertThatThrownBy(() -> note(onStandby, "refused"))
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("25006"))
                    .hasMessageContaining("Cannot create note on data source 'primary': it is read-only");
        }
    }

    @Test
    void aReadOnADataSourceWithoutTheTableOrColumnNamesTheDataSourceAndTheFix() {
        ReplicaFixture.execute(fixture.pair.primaryUrl(), "CREATE DATABASE unmigrated");
        String unmigrated = fixture.pair.primaryUrl().replace("/postgres?", "/unmigrated?");
        ReplicaFixture.execute(unmigrated, "CREATE TABLE notes (id bigserial PRIMARY KEY)");
        try (Ashlar ashlar = fixture.builder().replica("elsewhere", unmigrated, "postgres", null)
                .install(ReadReplicas.builder().build()).build()) {
            assertThatThrownBy(() -> ashlar.read("server").list())
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("42P01"))
                    .hasMessageContaining("Cannot read server on data source 'elsewhere': relation \"servers\" does "
                            + "not exist").hasMessageContaining("names a replica of the primary");
            assertThatThrownBy(() -> ashlar.read("note").list())
                    .isInstanceOfSatisfying(AshlarException.class, e -> assertThat(e.sqlState()).contains("42703"))
                    .hasMessageContaining("on data source 'elsewhere'").hasMessageContaining("replayed the primary's");

            assertThat(note(ashlar, "written on the primary still").get("body")).isEqualTo("written on the primary still");
        }
    }

    @Test
    void theDiscoveredPluginLeavesResourcesWithoutItsSectionOnThePrimary() {
        try (Ashlar ashlar = fixture.ashlar(null, STANDBY)) {
            assertThat(readOnStandby(ashlar, "server")).isFalse();
            assertThat(readOnStandby(ashlar, "primary_server")).isFalse();
        }
        assertThat(ServiceLoader.load(AshlarPlugin.class).stream().map(ServiceLoader.Provider::type))
                .contains(ReadReplicas.class);
    }

    private static void pauseReplay() {
        ReplicaFixture.execute(fixture.pair.standbyUrl(), "SELECT pg_wal_replay_pause()");
    }

    private static void resumeReplay() {
        ReplicaFixture.execute(fixture.pair.standbyUrl(), "SELECT pg_wal_replay_resume()");
    }

    /** Runs the body while the standby replays nothing: a read routed there does not see what the body wrote. */
    private static void whileReplayIsPaused(Runnable body) {
        pauseReplay();
        try {
            body.run();
        } finally {
            resumeReplay();
        }
    }

    @Test
    void anUpsertReturnsTheStoredRecordItKeptThoughTheStandbyHasNotReplayedIt() {
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
            whileReplayIsPaused(() -> {
                Row stored = ashlar.create("entry", Map.of("code", "kept", "body", "first"));

                Row kept = ashlar.upsert("entry", Map.of("code", "kept", "body", "second"),
                        Upsert.on("unique_code").doNothing().returnSkipped());
                List<Row> keptOfMany = ashlar.upsert("entry", List.of(Map.of("code", "kept", "body", "third")),
                        Upsert.on("unique_code").doNothing().returnSkipped());

                assertThat(kept.get("id")).isEqualTo(stored.get("id"));
                assertThat(kept.getString("body")).isEqualTo("first");
                assertThat(keptOfMany).extracting(row -> row.getString("body")).containsExactly("first");
            });
        }
        assertThat(fixture.onPrimary("SELECT body FROM entries WHERE code = 'kept'")).isEqualTo("first");
    }

    @Test
    void aStaleCopyIsRefusedAsStaleNotMissingThoughTheStandbyHasNotReplayedTheRecord() {
        try (Ashlar ashlar = fixture.builder(STANDBY).optimisticLock("lock_version")
                .install(ReadReplicas.builder().build()).build()) {
            whileReplayIsPaused(() -> {
                Row copy = ashlar.create("entry", Map.of("code", "versioned", "body", "first"));
                ashlar.update(copy, Map.of("body", "second"));

                assertThatThrownBy(() -> ashlar.update(copy, Map.of("body", "third")))
                        .isInstanceOfSatisfying(StaleRecordException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
                assertThatThrownBy(() -> ashlar.destroy(copy)).isInstanceOf(StaleRecordException.class);
            });
        }
        assertThat(fixture.onPrimary("SELECT body FROM entries WHERE code = 'versioned'")).isEqualTo("second");
    }

    @Test
    void aGuardThatFailsIsReportedAsSuchThoughTheStandbyHasNotReplayedTheRecord() {
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
            whileReplayIsPaused(() -> {
                Row entry = ashlar.create("entry", Map.of("code", "guarded", "body", "draft"));
                Filter published = Filter.eq("body", "published");

                assertThatThrownBy(() -> ashlar.update(entry, Map.of("body", "edited"), published))
                        .isInstanceOfSatisfying(StaleRecordException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.STALE_RECORD));
                assertThatThrownBy(() -> ashlar.update(entry, Map.of("body", "draft"), published))
                        .isInstanceOf(StaleRecordException.class);
                assertThat(ashlar.update(entry, Map.of("body", "draft"), Filter.eq("body", "draft"))
                        .getString("body")).isEqualTo("draft");
            });
        }
        assertThat(fixture.onPrimary("SELECT body FROM entries WHERE code = 'guarded'")).isEqualTo("draft");
    }

    @Test
    void aSessionReadsItsOwnWriteAtOnceWhileTheStandbyIsPaused() {
        ReadReplicas replicas = ReadReplicas.builder().build();
        Session session = replicas.session();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            pauseReplay();
            try {
                Row elsewhere = note(ashlar, "written outside a session");
                assertThat(sees(ashlar, elsewhere)).as("a plain read is stale while replay is paused").isFalse();

                boolean seen = session.run(() -> sees(ashlar, note(ashlar, "written in a session")));

                assertThat(seen).isTrue();
                assertThat(replicas.metrics().fallbacks()).isEqualTo(1);
                assertThat(replicas.metrics().readsOn(ReadReplicas.PRIMARY)).isEqualTo(1);
            } finally {
                resumeReplay();
            }
            fixture.pair.awaitReplay(Duration.ofSeconds(30));
            assertThat(session.run(() -> readOnStandby(ashlar, "server"))).as("caught up, the standby serves it").isTrue();
        }
    }

    @Test
    void everyKindOfWriteInASessionIsReadBackAtOnceWhileTheStandbyIsPaused() {
        ReadReplicas replicas = ReadReplicas.builder().build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            Row updated = note(ashlar, "rw-to-update");
            Row destroyed = note(ashlar, "rw-to-destroy");
            note(ashlar, "rw-to-destroy-all");
            fixture.pair.awaitReplay(Duration.ofSeconds(30));
            whileReplayIsPaused(() -> {
                assertReadBack(replicas, () -> note(ashlar, "rw-created"), () -> bodies(ashlar, "rw-created") == 1);
                assertReadBack(replicas, () -> ashlar.createAll("note", List.of(Map.of("body", "rw-many"),
                        Map.of("body", "rw-many"))), () -> bodies(ashlar, "rw-many") == 2);
                assertReadBack(replicas, () -> ashlar.createAll("note", List.of(Map.of("body", "rw-bulk")),
                        Bulk.collectErrors()), () -> bodies(ashlar, "rw-bulk") == 1);
                assertReadBack(replicas, () -> ashlar.upsert("entry", Map.of("code", "rw-upserted", "body", "x"),
                        Upsert.on("unique_code").update("body")),
                        () -> ashlar.read("entry").where(Filter.eq("code", "rw-upserted")).exists());
                assertReadBack(replicas, () -> ashlar.update(updated, Map.of("body", "rw-updated")),
                        () -> bodies(ashlar, "rw-updated") == 1);
                assertReadBack(replicas, () -> ashlar.read("note").where(Filter.eq("body", "rw-updated"))
                        .updateAll(Map.of("body", "rw-updated-all")), () -> bodies(ashlar, "rw-updated-all") == 1);
                assertReadBack(replicas, () -> ashlar.destroy(destroyed), () -> bodies(ashlar, "rw-to-destroy") == 0);
                assertReadBack(replicas, () -> ashlar.read("note").where(Filter.eq("body", "rw-to-destroy-all"))
                        .destroyAll(), () -> bodies(ashlar, "rw-to-destroy-all") == 0);
                assertReadBack(replicas, () -> ashlar.transaction(tx -> note(tx, "rw-in-a-transaction")),
                        () -> bodies(ashlar, "rw-in-a-transaction") == 1);
                Session byHand = replicas.session();
                byHand.run(() -> {
                    ashlar.sql("INSERT INTO notes (body) VALUES ('rw-by-hand')").execute();
                    byHand.wrote();
                });
                assertThat(byHand.run(() -> bodies(ashlar, "rw-by-hand"))).isEqualTo(1);
                assertThat(bodies(ashlar, "rw-by-hand")).as("read outside the session").isZero();
            });
        }
    }

    private static long bodies(Ashlar ashlar, String body) {
        return ashlar.read("note").where(Filter.eq("body", body)).count();
    }

    /** A session that writes sees the effect at once, while a read outside it, on the paused standby, does not yet. */
    private static void assertReadBack(ReadReplicas replicas, Runnable write, BooleanSupplier seen) {
        boolean inSession = replicas.consistent(() -> {
            write.run();
            return seen.getAsBoolean();
        });

        assertThat(inSession).as("read in the session that wrote").isTrue();
        assertThat(seen.getAsBoolean()).as("read outside it").isFalse();
    }

    @Test
    void aSessionReadsTheRecordsItWroteAndTheirLoadsWhileTheStandbyIsPaused() {
        ReadReplicas replicas = ReadReplicas.builder().build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            whileReplayIsPaused(() -> {
                Row entry = ashlar.create("entry", Map.of("code", "rw-loaded", "body", "first"));
                Row server = replicas.consistent(() -> {
                    ashlar.update(entry, Map.of("body", "second"));
                    return ashlar.read("server").load("probe").first().orElseThrow();
                });

                assertThat(server.getBoolean("in_recovery")).as("the read, on the primary").isFalse();
                assertThat(server.relatedOne("probe").orElseThrow().getBoolean("in_recovery"))
                        .as("its load, on the primary too").isFalse();
            });
        }
    }

    @Test
    void aSessionReadsItsOwnWriteThoughTheRoutingNamesAReplicaOutsideTheRotation() {
        ReadReplicas replicas = ReadReplicas.builder().replicas(STANDBY).routing((resource, operation) ->
                operation == Operation.READ ? "reporting" : ReadReplicas.PRIMARY).build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY, "reporting")) {
            whileReplayIsPaused(() -> {
                boolean seen = replicas.consistent(() -> sees(ashlar, note(ashlar, "rw-reporting")));

                assertThat(seen).isTrue();
                assertThat(replicas.metrics().fallbacks()).isEqualTo(1);
            });
        }
    }

    @Test
    void aSessionWaitsABoundedTimeForTheStandbyToCatchUp() throws Exception {
        ReadReplicas replicas = ReadReplicas.builder().consistencyWait(Duration.ofSeconds(20)).build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            pauseReplay();
            CompletableFuture<Void> resumed;
            boolean seen;
            try {
                seen = replicas.consistent(() -> {
                    Row written = note(ashlar, "waited for");
                    CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(
                            ReadReplicasTest::resumeReplay);
                    return sees(ashlar, written);
                });
            } finally {
                resumed = CompletableFuture.runAsync(ReadReplicasTest::resumeReplay);
            }
            resumed.get(10, TimeUnit.SECONDS);

            assertThat(seen).isTrue();
            assertThat(replicas.metrics().readsOn(STANDBY)).isEqualTo(1);
            assertThat(replicas.metrics().fallbacks()).isZero();
        }
    }

    @Test
    void aStoppedStandbyFallsBackToThePrimaryAndComesBackWhenHealthy() throws InterruptedException {
        ReadReplicas replicas = ReadReplicas.builder().checkEvery(Duration.ofHours(1)).build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            fixture.pair.stopStandby();
            try {
                assertThat(readOnStandby(ashlar, "server")).as("a read before the next check").isFalse();
                replicas.checkHealth();
                assertThat(readOnStandby(ashlar, "server")).isFalse();
                assertThat(replicas.metrics().outOfRotation()).containsExactly(STANDBY);
                assertThat(replicas.metrics().fallbacks()).isEqualTo(1);
                try (Ashlar builtWhileDown = fixture.ashlar(ReadReplicas.builder().build(), STANDBY)) {
                    assertThat(readOnStandby(builtWhileDown, "server")).isFalse();
                }
            } finally {
                fixture.pair.startStandby();
            }
            // Healthy again once it streams from the primary, a moment after it accepts connections: each check
            // until then still finds it out.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            replicas.checkHealth();
            while (!replicas.metrics().outOfRotation().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                replicas.checkHealth();
            }

            assertThat(readOnStandby(ashlar, "server")).isTrue();
            assertThat(replicas.metrics().outOfRotation()).isEmpty();
            assertThat(replicas.metrics().lag()).containsKey(STANDBY);
        }
    }

    @Test
    void aCursorWhoseStandbyStopsMidwayFailsRatherThanHandingItsRowsTwice() {
        ReplicaFixture.execute(fixture.pair.primaryUrl(),
                "INSERT INTO entries (code) SELECT 'cursor-' || g FROM generate_series(1, 1500) g");
        fixture.pair.awaitReplay(Duration.ofSeconds(30));
        List<String> handed = new ArrayList<>();
        try (Ashlar ashlar = fixture.ashlar(ReadReplicas.builder().checkEvery(Duration.ofHours(1)).build(), STANDBY)) {
            try {
                // The server sends the rows 1,000 at a time: the standby stops before the second batch is fetched.
                assertThatThrownBy(() -> ashlar.read("entry").where(Filter.startsWith("code", "cursor-"))
                        .forEach(row -> {
                            if (handed.isEmpty()) {
                                fixture.pair.stopStandby();
                            }
                            handed.add(row.getString("code"));
                        }))
                        .isInstanceOf(AshlarException.class)
                        .hasMessageContaining("forEach over entry lost its connection to data source '" + STANDBY
                                + "' after 1000 rows were handed over");
            } finally {
                fixture.pair.startStandby();
            }
        }
        assertThat(handed).hasSize(1000).doesNotHaveDuplicates();
        fixture.pair.awaitReplay(Duration.ofSeconds(30));
    }

    /** Points the standby's WAL receiver at nothing, or back at the primary, and waits for it to be gone or stream. */
    private static void receiveFrom(String conninfo, boolean streaming) throws InterruptedException {
        String standby = fixture.pair.standbyUrl();
        ReplicaFixture.execute(standby, "ALTER SYSTEM SET primary_conninfo = '" + conninfo.replace("'", "''") + "'");
        ReplicaFixture.execute(standby, "SELECT pg_reload_conf()");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // A receiver told to stop may still take what the primary sends until its row is gone.
        while (!fixture.onStandby("SELECT count(*) FROM pg_stat_wal_receiver"
                + (streaming ? " WHERE status = 'streaming'" : "")).equals(streaming ? "1" : "0")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    @Test
    void aStandbyCutOffFromThePrimaryIsTakenOutOfRotationOnceItMissesWritesOlderThanTheBound() throws Exception {
        ReadReplicas replicas = ReadReplicas.builder().maxLag(Duration.ofMillis(300))
                .checkEvery(Duration.ofHours(1)).build();
        String conninfo = fixture.onStandby("SHOW primary_conninfo");
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            receiveFrom("host=localhost port=1", false);
            try {
                Row missed = note(ashlar, "never received");
                // The write reaches the primary's flushed WAL within the WAL writer's delay (the embedded server
                // commits asynchronously); a check after that notes it, and a later one finds the standby without it.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (replicas.metrics().outOfRotation().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                    replicas.checkHealth();
                }

                assertThat(replicas.metrics().outOfRotation()).containsExactly(STANDBY);
                assertThat(replicas.metrics().lag().get(STANDBY)).isGreaterThan(Duration.ofMillis(300));
                assertThat(sees(ashlar, missed)).as("read on the primary").isTrue();
            } finally {
                receiveFrom(conninfo, true);
            }
            fixture.pair.awaitReplay(Duration.ofSeconds(30));
            replicas.checkHealth();
            assertThat(readOnStandby(ashlar, "server")).isTrue();
        }
    }

    @Test
    void aStandbyThatLagsBeyondTheBoundIsTakenOutOfRotation() throws Exception {
        ReadReplicas replicas = ReadReplicas.builder().maxLag(Duration.ofMillis(200))
                .checkEvery(Duration.ofHours(1)).build();
        try (Ashlar ashlar = fixture.ashlar(replicas, STANDBY)) {
            pauseReplay();
            try {
                note(ashlar, "not replayed yet");
                Thread.sleep(500);
                replicas.checkHealth();

                assertThat(replicas.metrics().outOfRotation()).containsExactly(STANDBY);
                assertThat(replicas.metrics().lag().get(STANDBY)).isGreaterThan(Duration.ofMillis(200));
                assertThat(readOnStandby(ashlar, "server")).isFalse();
            } finally {
                resumeReplay();
            }
            fixture.pair.awaitReplay(Duration.ofSeconds(30));
            replicas.checkHealth();
            assertThat(readOnStandby(ashlar, "server")).isTrue();
        }
    }
}
