package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.TIMESTAMPTZ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The data-layer part of AshPostgres's empty_atomic_non_bulk_actions_policy_bypass CVE test: an update that changes
 * nothing still answers to the condition and the scope it was given, so it cannot be used to reach, or learn of, a
 * record they leave out.
 */
class EmptyUpdateScopeTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("empty_update")
            .resource(Resource.builder("post").table("posts").uuidPrimaryKey("id")
                    .attribute("title", TEXT)
                    .attribute("deleted_at", TIMESTAMPTZ)
                    .baseFilter("deleted_at IS NULL", Filter.isNil("deleted_at"))
                    .build())
            .build();

    private Row post;

    EmptyUpdateScopeTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void aPost() {
        db.execute("TRUNCATE posts");
        post = ashlar.create("post", Map.of("title", "mine"));
    }

    @Test
    void anEmptyUpdateOfARecordItsConditionLeavesOutIsRefused() {
        assertThatThrownBy(() -> ashlar.update(post, Map.of(), eq("title", "someone else's")))
                .isInstanceOfSatisfying(StaleRecordException.class, e -> {
                    assertThat(e.resource()).contains("post");
                    assertThat(e.getMessage()).contains("does not meet the condition the update was given");
                });
        assertThatThrownBy(() -> ashlar.update(post, Map.of("title", "taken"), eq("title", "someone else's")))
                .isInstanceOf(StaleRecordException.class);
        assertThat(db.value("SELECT title FROM posts")).isEqualTo("mine");
    }

    @Test
    void anEmptyUpdateOfARecordItsConditionHoldsForReturnsItAsStored() {
        Row same = ashlar.update(post, Map.of(), eq("title", "mine"));

        assertThat(same.get("id")).isEqualTo(post.get("id"));
        assertThat(same.getString("title")).isEqualTo("mine");
    }

    @Test
    void anEmptyUpdateOverAQueryReturnsTheRecordsItsFilterLetsThroughAsAChangingUpdateReachesThem() {
        Row hidden = ashlar.create("post", Map.of("title", "hidden"));
        ashlar.update(hidden, Map.of("deleted_at", Instant.parse("2026-01-01T00:00:00Z")));
        ashlar.create("post", Map.of("title", "other"));

        assertThat(ashlar.read("post").where(eq("title", "nope")).updateAll(Map.of())).isEmpty();
        // A write by query does not apply the base filter: the empty one reaches the rows a changing one would.
        assertThat(ashlar.read("post").where(eq("title", "hidden")).updateAll(Map.of()))
                .extracting(r -> r.getString("title")).containsExactly("hidden");
        assertThat(ashlar.read("post").where(eq("title", "mine")).updateAll(Map.of()))
                .extracting(r -> r.getString("title")).containsExactly("mine");
        assertThat(ashlar.read("post").updateCount(Map.of())).isEqualTo(3);
        assertThat(ashlar.read("post").updateCount(Map.of("title", "same"))).isEqualTo(3);
        assertThat(ashlar.read("post").count()).isEqualTo(2);
    }

    @Test
    void anEmptyUpdateOfARecordTheBaseFilterHidesReturnsItAsStoredAsAChangingUpdateWritesIt() {
        Row hidden = ashlar.create("post", Map.of("title", "hidden"));
        ashlar.update(hidden, Map.of("deleted_at", Instant.parse("2026-01-01T00:00:00Z")));

        // A write by key does not apply the base filter (a soft-deleted record can be restored), so an update that
        // changes nothing reaches the same record a changing one would, rather than calling it missing.
        assertThat(ashlar.update(hidden, Map.of()).getString("title")).isEqualTo("hidden");
        assertThat(ashlar.updateAll(List.of(hidden), Map.of())).extracting(r -> r.getString("title"))
                .containsExactly("hidden");
        assertThat(ashlar.update(hidden, Map.of("title", "renamed")).getString("title")).isEqualTo("renamed");
        assertThat(ashlar.read("post").where(eq("title", "renamed")).count()).isZero();
    }
}
