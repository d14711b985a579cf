package dev.ashlar.kernel.data;

import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Ashlar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An update by filter that returns how many rows it changed, as Hibernate's executeUpdate and jOOQ's execute do. */
class UpdateCountTest extends BlogDatabaseTest {

    @BeforeEach
    void posts() {
        db.execute("TRUNCATE posts RESTART IDENTITY");
        db.execute("INSERT INTO posts (title, rating) SELECT 'post ' || g, g % 3 FROM generate_series(1, 9) g");
    }

    @Test
    void updatesTheRowsTheReadSelectsAndReturnsHowMany() {
        int updated = ashlar.read("post").where(Filter.eq("rating", 0)).updateCount(Map.of("body", "zero"));

        assertThat(updated).isEqualTo(3);
        assertThat(db.value("SELECT string_agg(id::text, ',' ORDER BY id) FROM posts WHERE body = 'zero'"))
                .isEqualTo("3,6,9");
        assertThat(ashlar.read("post").where(Filter.eq("rating", 7)).updateCount(Map.of("body", "none"))).isZero();
        assertThat(db.value("SELECT count(*) FROM posts WHERE body = 'none'")).isEqualTo(0L);
    }

    @Test
    void sendsNoRowBack() {
        CountingDataSource counting = new CountingDataSource(db.dataSource());
        try (Ashlar counted = Ashlar.builder().dataSource(counting).domain(Fixtures.BLOG).build()) {
            assertThat(counted.read("post").where(Filter.gt("rating", 0)).updateCount(Map.of("body", "x")))
                    .isEqualTo(6);
        }

        assertThat(counting.take()).singleElement().satisfies(sql -> assertThat(sql).startsWith("UPDATE")
                .doesNotContain("RETURNING"));
    }

    @Test
    void honoursTheReadsSortLimitAndOffset() {
        int updated = ashlar.read("post").sort(Sort.desc("id")).offset(1).limit(2).updateCount(Map.of("body", "paged"));

        assertThat(updated).isEqualTo(2);
        assertThat(db.value("SELECT string_agg(id::text, ',' ORDER BY id) FROM posts WHERE body = 'paged'"))
                .isEqualTo("7,8");
    }

    @Test
    void aComputedChangeThatDoesNotFitNamesItsFieldAndWritesNothing() {
        db.execute("UPDATE posts SET rating = 2147483647 WHERE id = 9");

        assertThat(ashlar.read("post").where(Filter.lt("id", 4)).updateCount(Map.of("rating", Atomic.add(10))))
                .isEqualTo(3);
        assertThatThrownBy(() -> ashlar.read("post").updateCount(Map.of("rating", Atomic.add(1))))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.field()).isEqualTo("rating")));
        assertThat(db.value("SELECT sum(rating) FROM posts WHERE id < 4")).isEqualTo(33L);
    }

    @Test
    void countsTheOptimisticLockVersionUpAndCountsMatchingRowsWhenNothingChanges() {
        try (Ashlar versioned = Ashlar.builder().dataSource(db.dataSource()).domain(Fixtures.BLOG)
                .optimisticLock("lock_version").build()) {
            assertThat(versioned.read("post").where(Filter.gt("id", 7)).updateCount(Map.of("body", "v"))).isEqualTo(2);
            assertThat(versioned.read("post").where(Filter.gt("id", 5)).updateCount(Map.of())).isEqualTo(4);
        }

        assertThat(db.value("SELECT string_agg(id || ':' || lock_version, ',' ORDER BY id) FROM posts WHERE id > 5"))
                .isEqualTo("6:1,7:1,8:2,9:2");
    }

    @Test
    void aTenantsUpdateCountChangesAndCountsOnlyThatTenantsRows() {
        db.execute("DROP SCHEMA IF EXISTS count_a CASCADE; CREATE SCHEMA count_a; "
                + "CREATE TABLE count_a.posts (LIKE public.posts INCLUDING ALL); "
                + "INSERT INTO count_a.posts (title, rating) VALUES ('tenant post', 0)");
        try (Ashlar tenants = Fixtures.ashlar(db, Fixtures.BLOG, OneResourceTenancy.schemas("post"))) {
            assertThat(tenants.withTenant("count_a").read("post").where(Filter.eq("rating", 0))
                    .updateCount(Map.of("body", "tenant"))).isEqualTo(1);
        }

        assertThat(db.value("SELECT count(*) FROM count_a.posts WHERE body = 'tenant'")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM public.posts WHERE body = 'tenant'")).isEqualTo(0L);
    }
}
