package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Kind;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.incoming;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hibernate's {@code @ColumnTransformer(read = ..., write = ...)} as {@code readAs}/{@code writeAs}: every write path
 * stores what the write expression makes of the value (read back by plain SQL), every read gives what the read
 * expression makes of the column, and filters and sorts compare the read value, as Hibernate's where clauses do.
 */
class ColumnExpressionsTest extends DomainDatabaseTest {
    /** Base64 stands in for {@code pgp_sym_encrypt}: a reversible form the read expression undoes. */
    private static final String ENCODE = "encode(convert_to(?, 'UTF8'), 'base64')";
    private static final String DECODE = "convert_from(decode({secret}, 'base64'), 'UTF8')";

    record Badge(Integer id, String code) {
        static final Table<Badge> BADGES = Table.of("badge", Badge.class);
        static final Field<Badge, Integer> ID = BADGES.integerPrimaryKey("id");
        static final TextField<Badge> CODE = BADGES.attribute("code", Kind.TEXT,
                a -> a.writeAs("lower(?)").readAs("upper({code})"));
        static final Resource RESOURCE = BADGES.builder().table("badges").add(ID, CODE).build();
    }

    ColumnExpressionsTest() {
        super(Domain.builder("column_expressions")
                .resource(Resource.builder("team").table("teams").integerPrimaryKey("id")
                        .attribute("name", TEXT)
                        .hasMany("members", "member")
                        .first("first_email", "members", "email", Sort.asc("id"))
                        .max("max_secret", "members", "secret")
                        .list("secrets", "members", "secret", Sort.asc("id"))
                        .build())
                .resource(Resource.builder("member").table("members").integerPrimaryKey("id")
                        .attribute("email", TEXT, a -> a.writeAs("lower(?)").readAs("upper({email})"))
                        .attribute("secret", TEXT, a -> a.writeAs(ENCODE).readAs(DECODE))
                        .attribute("note", TEXT)
                        .belongsTo("team", "team")
                        .identity("by_email", "email")
                        .build())
                .resource(Badge.RESOURCE)
                .build());
    }

    @BeforeEach
    void emptyTables() {
        db.execute("TRUNCATE teams, members, badges RESTART IDENTITY CASCADE");
    }

    private List<Map<String, Object>> stored() {
        return db.query("SELECT email, convert_from(decode(secret, 'base64'), 'UTF8') AS secret FROM members "
                + "ORDER BY id");
    }

    @Test
    void aCreateStoresTheWrittenExpressionAndReadsAndItsReturnedRowGiveTheReadExpression() {
        Row created = ashlar.create("member", Map.of("email", "Ada@Example.org", "secret", "s3cret"));

        assertThat(db.query("SELECT email, secret FROM members")).containsExactly(
                Map.of("email", "ada@example.org", "secret", "czNjcmV0"));
        assertThat(created.get("email")).isEqualTo("ADA@EXAMPLE.ORG");
        assertThat(created.get("secret")).isEqualTo("s3cret");
        Row read = ashlar.get("member", created.get("id"));
        assertThat(read.get("email")).isEqualTo("ADA@EXAMPLE.ORG");
        assertThat(read.get("secret")).isEqualTo("s3cret");
        // Not DDL: the column is a plain text column with no default.
        assertThat(db.query("SELECT data_type, column_default FROM information_schema.columns "
                + "WHERE table_name = 'members' AND column_name = 'email'").get(0))
                .containsEntry("data_type", "text").containsEntry("column_default", null);
    }

    @Test
    void filtersSortsCountsAndDistinctCompareTheReadValue() {
        ashlar.createAll("member", List.of(Map.of("email", "b@x.org", "secret", "beta"),
                Map.of("email", "a@x.org", "secret", "alpha"), Map.of("email", "c@x.org", "secret", "gamma")));

        assertThat(ashlar.read("member").where(eq("email", "A@X.ORG")).list()).extracting(r -> r.get("secret"))
                .containsExactly("alpha");
        // The stored form is not what a filter compares.
        assertThat(ashlar.read("member").where(eq("email", "a@x.org")).count()).isZero();
        assertThat(ashlar.read("member").where(eq("secret", "gamma")).count()).isOne();
        assertThat(ashlar.read("member").where(Filter.in("secret", List.of("alpha", "beta"))).count()).isEqualTo(2);
        assertThat(ashlar.read("member").sort(Sort.desc("secret")).list()).extracting(r -> r.get("email"))
                .containsExactly("C@X.ORG", "B@X.ORG", "A@X.ORG");
        assertThat(ashlar.read("member").sort(Sort.asc("email")).limit(1).list().get(0).get("secret"))
                .isEqualTo("alpha");
        assertThat(ashlar.read("member").max("secret")).isEqualTo("gamma");
        assertThat(ashlar.read("member").limit(2).min("email")).isEqualTo("A@X.ORG");
        ashlar.create("member", Map.of("email", "d@x.org", "secret", "alpha"));
        assertThat(ashlar.read("member").distinct("secret").sort(Sort.asc("secret")).list())
                .extracting(r -> r.get("secret")).containsExactly("alpha", "beta", "gamma");
    }

    @Test
    void bulkCreatesInOneShapeAndInSeveralApplyTheWriteExpressionToEveryRecord() {
        List<Row> rows = ashlar.createAll("member", List.of(Map.of("email", "One@X.org", "secret", "1"),
                Map.of("email", "Two@X.org", "secret", "2"), Map.of("email", "Three@X.org", "note", "no secret")));

        assertThat(rows).extracting(r -> r.get("email")).containsExactly("ONE@X.ORG", "TWO@X.ORG", "THREE@X.ORG");
        assertThat(db.query("SELECT email, coalesce(secret, 'none') AS secret FROM members ORDER BY id"))
                .containsExactly(Map.of("email", "one@x.org", "secret", "MQ=="),
                        Map.of("email", "two@x.org", "secret", "Mg=="), Map.of("email", "three@x.org", "secret", "none"));
    }

    @Test
    void updatesByRecordByRecordsAndByQueryApplyTheWriteExpression() {
        List<Row> rows = ashlar.createAll("member", List.of(Map.of("email", "a@x.org", "secret", "a"),
                Map.of("email", "b@x.org", "secret", "b"), Map.of("email", "c@x.org", "secret", "c")));

        Row updated = ashlar.update(rows.get(0), Map.of("email", "Anna@X.org", "secret", "A1"));
        ashlar.updateAll("member", List.of(Map.of("id", rows.get(1).get("id"), "secret", "B2"),
                Map.of("id", rows.get(2).get("id"), "secret", "C3")));
        ashlar.read("member").where(eq("email", "C@X.ORG")).updateAll(Map.of("email", "Cy@X.org"));

        assertThat(updated.get("email")).isEqualTo("ANNA@X.ORG");
        assertThat(stored()).containsExactly(Map.of("email", "anna@x.org", "secret", "A1"),
                Map.of("email", "b@x.org", "secret", "B2"), Map.of("email", "cy@x.org", "secret", "C3"));
    }

    @Test
    void anUpsertFindsTheStoredFormOfItsIdentityAndWritesThroughTheExpression() {
        ashlar.create("member", Map.of("email", "ada@x.org", "secret", "old"));

        Row upserted = ashlar.upsert("member", Map.of("email", "ADA@X.org", "secret", "new"),
                Upsert.on("by_email"));

        assertThat(upserted.get("secret")).isEqualTo("new");
        assertThat(stored()).containsExactly(Map.of("email", "ada@x.org", "secret", "new"));
    }

    @Test
    void recordsWrittenWithTheirParentAndLoadedThroughTheRelationshipUseTheExpressions() {
        Row team = ashlar.create("team", Map.of("name", "core", "members", List.of(
                        Map.of("email", "Ada@X.org", "secret", "one"), Map.of("email", "Bob@X.org", "secret", "two"))),
                Manage.relationship("members").create());

        assertThat(stored()).containsExactly(Map.of("email", "ada@x.org", "secret", "one"),
                Map.of("email", "bob@x.org", "secret", "two"));
        assertThat(team.related("members")).extracting(r -> r.get("email"))
                .containsExactlyInAnyOrder("ADA@X.ORG", "BOB@X.ORG");
        Row loaded = ashlar.read("team").load("members").list().get(0);
        assertThat(loaded.related("members")).extracting(r -> r.get("secret")).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void atomicChangesMergesAndCombinationsAreRefusedNamingTheAttributeAndWriteNothing() {
        Row ada = ashlar.create("member", Map.of("email", "ada@x.org", "secret", "s"));

        assertThatThrownBy(() -> ashlar.update(ada, Map.of("email", Atomic.sql("'x' || ?", "y"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("'email' of member")
                .hasMessageContaining("writeAs(\"lower(?)\")");
        assertThatThrownBy(() -> ashlar.create("member", Map.of("email", Atomic.sql("upper(?)", "y"))))
                .isInstanceOf(QueryException.class).hasMessageContaining("'email' of member");
        assertThatThrownBy(() -> ashlar.merge("member", List.of(Map.of("email", "ada@x.org", "secret", "t")),
                Merge.on("email").whenMatched().update("secret")))
                .isInstanceOf(QueryException.class).hasMessageContaining("A merge of member")
                .hasMessageContaining("'email'");
        assertThatThrownBy(() -> ashlar.read("member").union(ashlar.read("member")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("readAs expression of 'email'");
        assertThat(stored()).containsExactly(Map.of("email", "ada@x.org", "secret", "s"));
    }

    @Test
    void expressionsThatDoNotMarkTheColumnOrTheValueOnceOrSitOnAKeyAreRefusedNamingTheAttribute() {
        assertThatThrownBy(() -> Resource.builder("r").attribute("email", TEXT, a -> a.readAs("upper(email)")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("{email}");
        assertThatThrownBy(() -> Resource.builder("r").attribute("email", TEXT, a -> a.readAs("upper({name})")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'email'");
        assertThatThrownBy(() -> Resource.builder("r").attribute("email", TEXT, a -> a.writeAs("lower(?) || ?")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("exactly one ?");
        assertThatThrownBy(() -> Resource.builder("r").attribute("email", TEXT, a -> a.writeAs("lower('?')")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("exactly one ?");
        assertThatThrownBy(() -> Resource.builder("r").attribute("code", TEXT,
                a -> a.primaryKey().writeAs("lower(?)")))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("primary key");
    }

    @Test
    void declaredAggregatesOverARelationshipAndAtomicCopiesGiveTheReadValueNotTheStoredForm() {
        Row team = ashlar.create("team", Map.of("name", "core"));
        Row ada = ashlar.create("member", Map.of("email", "Ada@X.org", "secret", "alpha", "team_id", team.get("id")));
        ashlar.create("member", Map.of("email", "Bob@X.org", "secret", "beta", "team_id", team.get("id")));

        Row loaded = ashlar.read("team").load("first_email").load("max_secret").load("secrets").first().orElseThrow();
        ashlar.update(ada, Map.of("note", Atomic.of("secret")));

        assertThat(loaded.get("first_email")).isEqualTo("ADA@X.ORG");
        assertThat(loaded.get("max_secret")).isEqualTo("beta");
        assertThat(loaded.get("secrets")).isEqualTo(List.of("alpha", "beta"));
        assertThat(db.value("SELECT note FROM members WHERE id = " + ada.get("id"))).isEqualTo("alpha");
    }

    @Test
    void anUpsertConditionComparesTheIncomingValueAsReadAndAKeptRecordIsFoundByItsStoredIdentity() {
        ashlar.create("member", Map.of("email", "ada@x.org", "secret", "same", "note", "old"));
        Upsert sameSecret = Upsert.on("by_email").update("note").where(eq("secret", incoming("secret")))
                .returnSkipped();

        // Kept, the stored record is found by the stored form of its identity and returned.
        Row kept = ashlar.upsert("member", Map.of("email", "Ada@X.org", "secret", "other", "note", "skipped"),
                sameSecret);
        assertThat(kept.get("note")).isEqualTo("old");
        assertThat(kept.get("email")).isEqualTo("ADA@X.ORG");
        assertThat(db.value("SELECT note FROM members")).isEqualTo("old");
        ashlar.upsert("member", Map.of("email", "Ada@X.org", "secret", "same", "note", "written"), sameSecret);
        assertThat(db.value("SELECT note FROM members")).isEqualTo("written");
    }

    @Test
    void relationshipKeysAndPositionsWithExpressionsAndAnOrderColumnWithALimitAreRefusedNamingThem() {
        Resource parent = Resource.builder("parent").table("parents").integerPrimaryKey("id")
                .attribute("code", TEXT, a -> a.readAs("upper({code})")).build();
        Resource byCode = Resource.builder("child").table("children").integerPrimaryKey("id")
                .belongsTo("parent", "parent", r -> r.attribute("parent_code").destinationAttribute("code")).build();
        Resource keyWritten = Resource.builder("child").table("children").integerPrimaryKey("id")
                .attribute("parent_id", INTEGER, a -> a.writeAs("abs(?)")).belongsTo("parent", "parent").build();
        Resource positioned = Resource.builder("child").table("children").integerPrimaryKey("id")
                .attribute("position", INTEGER, a -> a.readAs("{position} + 1")).belongsTo("parent", "parent").build();
        Resource listed = Resource.builder("parent").table("parents").integerPrimaryKey("id")
                .hasMany("children", "child", r -> r.orderColumn("position")).build();

        assertThatThrownBy(() -> Domain.builder("d").resources(parent, byCode).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("parent.code")
                .hasMessageContaining("readAs(...) or writeAs(...)");
        assertThatThrownBy(() -> Domain.builder("d").resources(parent, keyWritten).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("child.parent_id");
        assertThatThrownBy(() -> Domain.builder("d").resources(listed, positioned).build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("child.position");
        assertThatThrownBy(() -> Resource.builder("parent").hasMany("children", "child",
                r -> r.orderColumn("position").limit(3))).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("limit").hasMessageContaining("orderColumn");
    }

    @Test
    void aKindOrADraftableResourcesAttributeWithAnExpressionIsRefusedNamingIt() {
        // The kind fences each resource's rows, and publish and restore copy records as read: neither may go through
        // an expression.
        assertThatThrownBy(() -> Resource.builder("dog").table("animals").integerPrimaryKey("id")
                .attribute("kind", TEXT, a -> a.readAs("coalesce({kind}, 'dog')")).discriminator("kind", "dog")
                .build()).isInstanceOf(DefinitionException.class).hasMessageContaining("'kind'")
                .hasMessageContaining("readAs(...) or writeAs(...)");
        assertThatThrownBy(() -> Resource.builder("member").table("members").integerPrimaryKey("id")
                .attribute("email", TEXT, a -> a.readAs("upper({email})")).draftable().build())
                .isInstanceOf(DefinitionException.class).hasMessageContaining("'email'")
                .hasMessageContaining("draftable").hasMessageContaining("readAs(...) or writeAs(...)");
    }

    @Test
    void aVersionADeletionMarkOrAnUpdateTimeWithAnExpressionIsRefusedWhenAshlarIsBuilt() {
        Resource versioned = Resource.builder("doc").table("docs").integerPrimaryKey("id")
                .attribute("version", INTEGER, a -> a.notNull().defaultValue(1).writeAs("abs(?)"))
                .optimisticLock("version").build();
        Resource touched = Resource.builder("doc").table("docs").integerPrimaryKey("id")
                .attribute("changed_at", dev.ashlar.api.resource.Type.TIMESTAMPTZ,
                        a -> a.touchOnUpdate().readAs("date_trunc('day', {changed_at})")).build();

        for (Resource doc : List.of(versioned, touched)) {
            assertThatThrownBy(() -> dev.ashlar.kernel.Ashlar.builder().dataSource(db.dataSource())
                    .domain(Domain.builder("d").resources(doc).build()).build().close())
                    .isInstanceOf(DefinitionException.class).hasMessageContaining("doc.")
                    .hasMessageContaining("written by Ashlar").hasMessageContaining("cannot have readAs(...)");
        }
    }

    @Test
    void theTypedApiDeclaresTheExpressionsOnAFieldAndReadsAndFiltersThroughThem() {
        Badge created = ashlar.create(Badge.BADGES, new Badge(null, "Gold"));

        assertThat(created.code()).isEqualTo("GOLD");
        assertThat(db.value("SELECT code FROM badges")).isEqualTo("gold");
        assertThat(ashlar.read(Badge.BADGES).where(Badge.CODE.eq("GOLD")).list())
                .containsExactly(new Badge(created.id(), "GOLD"));
    }
}
