package dev.ashlar.kernel.data;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.AggregateField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unrelated aggregates and exists through the typed API: {@code USERS.unrelated(PROFILES)}. */
class TypedUnrelatedAggregatesTest extends DomainDatabaseTest {

    record Member(Integer id, String name) {
        static final Table<Member> MEMBERS = Table.of("member", Member.class);
        static final Field<Member, Integer> ID = MEMBERS.integerPrimaryKey("id");
        static final TextField<Member> NAME = MEMBERS.attribute("name", TEXT);
        static final Relation<Member, Badge> BADGES = MEMBERS.unrelated(Badge.BADGES);
        static final AggregateField<Member, Long> SAME_NAME_BADGES = MEMBERS.count("same_name_badges", BADGES,
                Badge.OWNER.eq(NAME.parent()));
        static final AggregateField<Member, Number> SAME_NAME_POINTS = MEMBERS.sum("same_name_points", BADGES,
                Badge.POINTS);
        static final Resource RESOURCE = MEMBERS.builder().table("tua_members")
                .add(ID, NAME, SAME_NAME_BADGES, SAME_NAME_POINTS).build();
    }

    record Badge(Integer id, String owner, Integer points) {
        static final Table<Badge> BADGES = Table.of("badge", Badge.class);
        static final Field<Badge, Integer> ID = BADGES.integerPrimaryKey("id");
        static final TextField<Badge> OWNER = BADGES.attribute("owner", TEXT);
        static final Field<Badge, Integer> POINTS = BADGES.attribute("points", INTEGER);
        static final Resource RESOURCE = BADGES.builder().table("tua_badges").add(ID, OWNER, POINTS).build();
    }

    record MemberView(String name, Long sameNameBadges) {
    }

    record PointsView(String name, Long sameNamePoints) {
    }

    TypedUnrelatedAggregatesTest() {
        super(Domain.builder("typed_unrelated").resources(Member.RESOURCE, Badge.RESOURCE).build());
    }

    @Test
    void aTypedUnrelatedAggregateLoadsFiltersAndSortsAndItsAnyFilters() {
        ashlar.sql("TRUNCATE tua_members, tua_badges RESTART IDENTITY").execute();
        ashlar.create("member", Map.of("name", "Ada"));
        ashlar.create("member", Map.of("name", "Bo"));
        ashlar.create("member", Map.of("name", "Cy"));
        ashlar.create("badge", Map.of("owner", "Ada", "points", 2));
        ashlar.create("badge", Map.of("owner", "Ada", "points", 3));
        ashlar.create("badge", Map.of("owner", "Bo", "points", 5));

        List<MemberView> members = ashlar.read(Member.MEMBERS).load(Member.SAME_NAME_BADGES)
                .sort(Member.SAME_NAME_BADGES.desc(), Member.NAME.asc()).list(MemberView.class);

        assertThat(members).containsExactly(new MemberView("Ada", 2L), new MemberView("Bo", 1L),
                new MemberView("Cy", 0L));
        assertThat(ashlar.read(Member.MEMBERS).where(Member.BADGES.any(Badge.OWNER.eq(Member.NAME.parent())))
                .sort(Member.NAME.asc()).list()).extracting(Member::name).containsExactly("Ada", "Bo");
        assertThat(ashlar.read(Member.MEMBERS).where(Member.SAME_NAME_BADGES.gt(1L)).list())
                .extracting(Member::name).containsExactly("Ada");
        assertThat(ashlar.read(Member.MEMBERS).where(Member.NAME.eq("Cy")).load(Member.SAME_NAME_POINTS)
                .list(PointsView.class)).as("without a filter: every badge").containsExactly(new PointsView("Cy", 10L));
    }

    @Test
    void aTypedContainsOfTheParentsTextFindsItInsideTheOtherRecords() {
        ashlar.sql("TRUNCATE tua_members, tua_badges RESTART IDENTITY").execute();
        ashlar.create("member", Map.of("name", "Ada"));
        ashlar.create("member", Map.of("name", "Bo"));
        ashlar.create("badge", Map.of("owner", "Ada Lovelace", "points", 2));
        ashlar.create("badge", Map.of("owner", "Cy", "points", 3));

        assertThat(ashlar.read(Member.MEMBERS).where(Member.BADGES.any(Badge.OWNER.contains(Member.NAME.parent())))
                .list()).extracting(Member::name).containsExactly("Ada");
        assertThat(ashlar.read(Member.MEMBERS).where(Member.BADGES.any(Badge.OWNER.contains("Bo"))).list())
                .as("a value of the same shape is bound").isEmpty();
    }

    @Test
    void anUnrelatedSymbolIsNotAddedToTheBuilder() {
        assertThatThrownBy(() -> Member.MEMBERS.builder().add(Member.BADGES))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("@badge");
    }
}
