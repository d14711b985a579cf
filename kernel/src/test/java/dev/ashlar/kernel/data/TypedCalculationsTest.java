package dev.ashlar.kernel.data;

import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.CalculationField;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

/** Calculations declared through the typed API: one constant declares, loads, filters and sorts each. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedCalculationsTest {

    record Member(Integer id, String first, String last, Integer points) {
        static final Table<Member> MEMBERS = Table.of("member", Member.class);
        static final Field<Member, Integer> ID = MEMBERS.integerPrimaryKey("id");
        static final TextField<Member> FIRST = MEMBERS.attribute("first", TEXT);
        static final TextField<Member> LAST = MEMBERS.attribute("last", TEXT);
        static final Field<Member, Integer> POINTS = MEMBERS.attribute("points", INTEGER);
        static final CalculationField<Member, String> FULL_NAME = MEMBERS.calculate("full_name", String.class,
                "first || ' ' || last");
        static final CalculationField<Member, Integer> BONUS = MEMBERS.calculate("bonus", Integer.class,
                "points * ?", 10);
        static final CalculationField<Member, Integer> SCALED = MEMBERS.calculate("scaled", Integer.class,
                "points * :factor", CalculationArgument.of("factor", Integer.class).withDefault(10));
        static final Resource RESOURCE = MEMBERS.builder().table("typed_members")
                .add(ID, FIRST, LAST, POINTS, FULL_NAME, BONUS, SCALED).build();
    }

    record Badge(Integer id, String label, Integer memberId) {
        static final Table<Badge> BADGES = Table.of("badge", Badge.class);
        static final Field<Badge, Integer> ID = BADGES.integerPrimaryKey("id");
        static final TextField<Badge> LABEL = BADGES.attribute("label", TEXT);
        static final Relation<Badge, Member> MEMBER = BADGES.belongsTo("member", Member.MEMBERS);
        static final Resource RESOURCE = BADGES.builder().table("typed_badges").add(ID, LABEL, MEMBER).build();
    }

    /** A member with loaded calculations. */
    record MemberView(Integer id, String fullName, Integer bonus) {
    }

    /** A member with a loaded calculation of an argument. */
    record ScaledView(Integer id, Integer scaled) {
    }

    static final Domain DOMAIN = Domain.builder("typed_calculations").resources(Member.RESOURCE, Badge.RESOURCE)
            .build();

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        ashlar = Fixtures.ashlar(db, DOMAIN);
        Member ada = ashlar.create(Member.MEMBERS, new Member(null, "Ada", "Lovelace", 3));
        Member alan = ashlar.create(Member.MEMBERS, new Member(null, "Alan", "Turing", 5));
        ashlar.create(Badge.BADGES, new Badge(null, "first", ada.id()));
        ashlar.create(Badge.BADGES, new Badge(null, "fast", alan.id()));
        ashlar.create(Member.MEMBERS, new Member(null, "Grace", null, 1));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void aTypedCalculationLoadsOntoAViewRecord() {
        List<MemberView> views = ashlar.read(Member.MEMBERS).sort(Member.ID.asc()).load(Member.FULL_NAME)
                .load(Member.BONUS).list(MemberView.class);

        assertThat(views).extracting(MemberView::fullName).containsExactly("Ada Lovelace", "Alan Turing", null);
        assertThat(views).extracting(MemberView::bonus).containsExactly(30, 50, 10);
    }

    @Test
    void aTypedCalculationLoadsWithArgumentsOrTheirDefaults() {
        assertThat(ashlar.read(Member.MEMBERS).sort(Member.ID.asc()).load(Member.SCALED, Map.of("factor", 2))
                .list(ScaledView.class)).extracting(ScaledView::scaled).containsExactly(6, 10, 2);
        assertThat(ashlar.read(Member.MEMBERS).sort(Member.ID.asc()).load(Member.SCALED).list(ScaledView.class))
                .extracting(ScaledView::scaled).containsExactly(30, 50, 10);
    }

    @Test
    void aTypedCalculationFiltersWithTheArgumentsTheReadGivesIt() {
        // points * 2: Ada 6, Alan 10, Grace 2; at the default factor of 10 every one would pass.
        assertThat(ashlar.read(Member.MEMBERS).where(Member.SCALED.gt(5)).arguments(Member.SCALED,
                Map.of("factor", 2)).sort(Member.SCALED.desc()).list())
                .extracting(Member::first).containsExactly("Alan", "Ada");
    }

    @Test
    void aRelatedTypedCalculationFiltersWithTheArgumentsTheReadGivesItThroughTheRelation() {
        // points * 2: Ada 6, Alan 10; at the default factor of 10 both badges would pass.
        assertThat(ashlar.read(Badge.BADGES).where(Badge.MEMBER.field(Member.SCALED).gt(8))
                .arguments(Badge.MEMBER, Member.SCALED, Map.of("factor", 2)).list())
                .extracting(Badge::label).containsExactly("fast");
    }

    @Test
    void aTypedCalculationFiltersAndSorts() {
        assertThat(ashlar.read(Member.MEMBERS).where(Member.BONUS.gte(30)).sort(Member.BONUS.desc()).list())
                .extracting(Member::first).containsExactly("Alan", "Ada");
        assertThat(ashlar.read(Member.MEMBERS).where(Member.FULL_NAME.eq("Ada Lovelace")).list())
                .extracting(Member::first).containsExactly("Ada");
        assertThat(ashlar.read(Member.MEMBERS).sort(Member.FULL_NAME.desc().nullsLast()).list())
                .extracting(Member::first).containsExactly("Alan", "Ada", "Grace");
    }
}
