package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.spi.plugin.SchemaAdmin;
import dev.ashlar.spi.plugin.WriteEvent;
import dev.ashlar.spi.plugin.WriteListener;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.spi.plugin.Router;
import dev.ashlar.spi.plugin.TenantScope;
import dev.ashlar.spi.plugin.Tenancy;
import dev.ashlar.kernel.plugin.TestPlugins;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import dev.ashlar.spi.plugin.QueryContext;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Operation;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PluginHooksTest extends BlogDatabaseTest {

    /** Sends reads of posts to the data source named "replica". */
    static final class ReplicaRouting implements AshlarPlugin, Router {
        private final String target;

        ReplicaRouting(String target) {
            this.target = target;
        }

        @Override
        public String id() {
            return "replica-routing";
        }

        @Override
        public Optional<String> route(Resource resource, Operation operation) {
            return operation == Operation.READ ? Optional.of(target) : Optional.empty();
        }
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE posts RESTART IDENTITY; DROP SCHEMA IF EXISTS elsewhere CASCADE");
    }

    @Test
    void queryHooksScopeReadsUpdatesAndDestroysToTheTenant() {
        try (Ashlar scoped = Fixtures.ashlar(db, Fixtures.BLOG, OneResourceTenancy.column("post", "body", true))) {
            scoped.create("post", Map.of("title", "mine", "body", "t1"));
            var theirs = scoped.create("post", Map.of("title", "theirs", "body", "t2"));
            Ashlar t1 = scoped.withTenant("t1");

            assertThat(t1.read("post").list()).extracting(r -> r.getString("title")).containsExactly("mine");
            assertThatThrownBy(() -> t1.destroy(theirs)).isInstanceOfSatisfying(AshlarException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThat(t1.read("post").updateAll(Map.of("rating", 1))).hasSize(1);
            assertThat(db.value("SELECT count(*) FROM posts WHERE rating = 1")).isEqualTo(1L);
        }
    }

    @Test
    void aSchemaSetByAHookQualifiesTheTable() {
        db.execute("CREATE SCHEMA elsewhere; CREATE TABLE elsewhere.posts (LIKE public.posts INCLUDING ALL)");
        try (Ashlar scoped = Fixtures.ashlar(db, Fixtures.BLOG, OneResourceTenancy.schemas("post"))) {
            scoped.withTenant("elsewhere").create("post", Map.of("title", "moved"));

            assertThat(db.value("SELECT count(*) FROM elsewhere.posts")).isEqualTo(1L);
            assertThat(db.value("SELECT count(*) FROM public.posts")).isEqualTo(0L);
            assertThat(scoped.withTenant("elsewhere").read("post").count()).isEqualTo(1);
        }
    }

    @Test
    void readsGoWhereAPluginRoutesThemAndWritesAndTransactionsStayOnThePrimary() {
        CountingDataSource replica = new CountingDataSource(db.dataSource());
        try (Ashlar routed = Ashlar.builder().dataSource(db.dataSource()).dataSource("replica", replica)
                .domain(Fixtures.BLOG).install(new ReplicaRouting("replica")).build()) {
            routed.create("post", Map.of("title", "routed"));
            assertThat(replica.borrowed.get()).isZero();

            routed.read("post").list();
            assertThat(replica.borrowed.get()).isEqualTo(1);

            routed.inTransaction(tx -> tx.read("post").list());
            assertThat(replica.borrowed.get()).isEqualTo(1);
        }
    }

    @Test
    void aRouteToAnUnknownDataSourceAndAFailingHookNameThePlugin() {
        AshlarPlugin broken = new TestPlugins.Scoping() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public Optional<Tenancy> tenancy(Domain domain, Resource resource) {
                return resource.name().equals("post") ? Optional.of(Tenancy.column("body", true)) : Optional.empty();
            }

            @Override
            public TenantScope scope(Resource resource, Tenancy tenancy, String tenant) {
                throw new IllegalStateException("boom");
            }
        };
        try (Ashlar lost = Fixtures.ashlar(db, Fixtures.BLOG, new ReplicaRouting("nowhere"));
             Ashlar failing = Fixtures.ashlar(db, Fixtures.BLOG, broken)) {
            assertThatThrownBy(() -> lost.read("post").list()).isInstanceOfSatisfying(AshlarException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PLUGIN)).hasMessageContaining("'nowhere'");
            assertThatThrownBy(() -> failing.withTenant("t1").read("post").list()).isInstanceOf(PluginException.class)
                    .hasMessageContaining("'broken'").hasMessageContaining("boom");
        }
    }

    /** Notes the resources whose writes it saw; it watches posts only. */
    static final class PostWatcher implements AshlarPlugin, WriteListener {
        final java.util.List<String> seen = new java.util.ArrayList<>();

        @Override
        public String id() {
            return "post-watcher";
        }

        @Override
        public boolean watches(Resource resource) {
            return resource.name().equals("post");
        }

        @Override
        public void afterWrite(WriteEvent event, QueryContext context, SchemaAdmin schemas) {
            seen.add(context.resource().name() + ":" + event.action());
        }
    }

    @Test
    void aWriteListenerActsOnlyOnTheResourcesItWatches() {
        PostWatcher watcher = new PostWatcher();
        try (Ashlar watched = Fixtures.ashlar(db, Fixtures.BLOG, watcher)) {
            watched.create("author", Map.of("email", "watched" + System.nanoTime() + "@example.com"));
            Row post = watched.create("post", Map.of("title", "seen"));
            watched.destroy(post);
        }

        assertThat(watcher.seen).containsExactly("post:create", "post:destroy");
    }

    @Test
    void anUpdateAllReturningKeysOfAWatchedResourceHandsTheListenerEachRowAndReturnsOnlyKeys() {
        PostWatcher watcher = new PostWatcher();
        try (Ashlar watched = Fixtures.ashlar(db, Fixtures.BLOG, watcher)) {
            Row post = watched.create("post", Map.of("title", "watched"));

            java.util.List<Row> keys = watched.read("post").where(Filter.eq("id",
                    post.get("id"))).updateAll(Map.of("rating", 4), Returning.KEYS);

            assertThat(keys).extracting(Row::toMap).containsExactly(Map.of("id", post.get("id")));
        }
        assertThat(watcher.seen).containsExactly("post:create", "post:update");
        assertThat(db.value("SELECT rating FROM posts WHERE title = 'watched'")).isEqualTo(4);
    }
}
