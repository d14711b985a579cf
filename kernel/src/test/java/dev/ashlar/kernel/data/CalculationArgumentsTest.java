package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.ErrorCode;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.CalculationArgument;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Calculations with arguments given at read time, each bound as a parameter, the others at their defaults. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CalculationArgumentsTest {

    static final CalculationArgument SEPARATOR = CalculationArgument.of("separator", String.class).withDefault(" ")
            .notNull();

    static final Domain DOMAIN = Domain.builder("calculation_arguments")
            .resource(guest(Resource.builder("guest").table("arg_guests")))
            .resource(Resource.builder("visit").table("arg_visits")
                    .integerPrimaryKey("id")
                    .attribute("kind", TEXT)
                    .belongsTo("guest", "guest")
                    .calculate("labelled", String.class, "kind || :suffix",
                            CalculationArgument.of("suffix", String.class).withDefault(""))
                    .build())
            .build();

    private static Resource guest(dev.ashlar.api.resource.ResourceBuilder builder) {
        return builder.integerPrimaryKey("id")
                .attribute("first_name", TEXT)
                .attribute("last_name", TEXT)
                .attribute("age", INTEGER)
                .hasMany("visits", "visit")
                .count("visit_count", "visits")
                .calculate("full_name", String.class, "first_name || :separator || last_name", SEPARATOR)
                .calculate("tagged", String.class, "first_name || coalesce(:tag, ' (no tag)')",
                        CalculationArgument.of("tag", String.class))
                .calculate("greeting", String.class, "? || first_name || :punct || ?", "Hi ",
                        CalculationArgument.of("punct", String.class).withDefault("!"), "?")
                .calculate("older", Integer.class, "age + :years",
                        CalculationArgument.of("years", Integer.class).withDefault(0))
                // Neither the cast, the literal, the quoted name nor the comment is a mark.
                .calculate("lexed", String.class, "age::text || ':no' || \"last_name\" /* :no */ || :sep",
                        CalculationArgument.of("sep", String.class).withDefault("."))
                .calculate("shout", String.class, "upper(full_name)")
                .calculate("visits_of", Long.class,
                        "(SELECT count(*) FROM arg_visits AS v WHERE v.guest_id = self.id AND v.kind = :kind)",
                        CalculationArgument.of("kind", String.class).withDefault("dinner"))
                .build();
    }

    private TestDatabase db;
    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        ashlar = Fixtures.ashlar(db, DOMAIN);
        Row ada = guest("Ada", "Lovelace", 36);
        guest("Bob", "Byron", 20);
        ashlar.create("visit", Map.of("kind", "dinner", "guest_id", ada.get("id")));
        ashlar.create("visit", Map.of("kind", "lunch", "guest_id", ada.get("id")));
        ashlar.create("visit", Map.of("kind", "lunch", "guest_id", ada.get("id")));
    }

    private Row guest(String first, String last, int age) {
        return ashlar.create("guest", Map.of("first_name", first, "last_name", last, "age", age));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    private Read ada() {
        return ashlar.read("guest").where(eq("first_name", "Ada"));
    }

    private Object adas(String calculation, Map<String, ?> arguments) {
        return ada().load(calculation, arguments).first().orElseThrow().get(calculation);
    }

    @Test
    void aLoadWithoutArgumentsReadsTheirDefaults() {
        Row ada = ada().load("full_name").load("greeting").load("older").load("visits_of").first().orElseThrow();

        assertThat(ada.get("full_name")).isEqualTo("Ada Lovelace");
        assertThat(ada.get("greeting")).isEqualTo("Hi Ada!?");
        assertThat(ada.get("older")).isEqualTo(36);
        assertThat(ada.get("visits_of")).isEqualTo(1L);
    }

    @Test
    void aLoadWithArgumentsReadsTheirValuesTheOthersAtTheirDefaults() {
        assertThat(adas("full_name", Map.of("separator", "-"))).isEqualTo("Ada-Lovelace");
        assertThat(adas("greeting", Map.of("punct", ", welcome"))).isEqualTo("Hi Ada, welcome?");
        assertThat(adas("older", Map.of("years", 4))).isEqualTo(40);
        assertThat(adas("visits_of", Map.of("kind", "lunch"))).isEqualTo(2L);
        assertThat(adas("lexed", Map.of())).isEqualTo("36:noLovelace.");
        assertThat(ashlar.read("guest").load("full_name", Map.of("separator", "_")).sort(Sort.asc("id")).list()
                .stream().map(row -> row.get("full_name"))).containsExactly("Ada_Lovelace", "Bob_Byron");
    }

    @Test
    void anArgumentThatAllowsNilIsBoundAsNull() {
        Map<String, Object> none = new HashMap<>();
        none.put("tag", null);

        assertThat(adas("tagged", none)).isEqualTo("Ada (no tag)");
        assertThat(adas("tagged", Map.of("tag", "#1"))).isEqualTo("Ada#1");
    }

    @Test
    void aHostileValueIsBoundAsDataNeverWrittenIntoTheSql() {
        String hostile = "'); DROP TABLE arg_guests; --";

        assertThat(adas("full_name", Map.of("separator", hostile))).isEqualTo("Ada" + hostile + "Lovelace");
        assertThat(ashlar.read("guest").count()).isEqualTo(2);
    }

    @Test
    void filtersSortsAndOtherCalculationsReadTheDefaults() {
        assertThat(ashlar.read("guest").where(eq("full_name", "Bob Byron")).list())
                .extracting(row -> row.get("first_name")).containsExactly("Bob");
        assertThat(ashlar.read("guest").sort(Sort.desc("visits_of")).list())
                .extracting(row -> row.get("first_name")).containsExactly("Ada", "Bob");
        assertThat(ada().load("shout").first().orElseThrow().get("shout")).isEqualTo("ADA LOVELACE");
    }

    @Test
    void filtersSortsAndCountsReadTheArgumentsTheReadGivesTheCalculation() {
        assertThat(ashlar.read("guest").where(gt("older", 50)).arguments("older", Map.of("years", 20)).list())
                .extracting(row -> row.get("first_name")).containsExactly("Ada");
        assertThat(ashlar.read("guest").where(gt("older", 50)).arguments("older", Map.of("years", 40)).count())
                .isEqualTo(2);
        assertThat(ashlar.read("guest").where(eq("tagged", "Ada#1")).arguments("tagged", Map.of("tag", "#1"))
                .exists()).isTrue();
        // Ada has one dinner and two lunches: by lunches she comes first, by breakfasts the key breaks the tie.
        Read byLunches = ashlar.read("guest").sort(Sort.desc("visits_of"), Sort.asc("id"))
                .arguments("visits_of", Map.of("kind", "lunch"));
        assertThat(byLunches.list()).extracting(row -> row.get("first_name")).containsExactly("Ada", "Bob");
        assertThat(ashlar.read("guest").sort(Sort.asc("visits_of"), Sort.asc("id"))
                .arguments("visits_of", Map.of("kind", "breakfast")).list())
                .extracting(row -> row.get("first_name")).containsExactly("Ada", "Bob");
        Row first = byLunches.load("visits_of", Map.of("kind", "lunch")).first().orElseThrow();
        assertThat(first.get("visits_of")).isEqualTo(2L);
    }

    @Test
    void aLoadedCalculationIsFilteredWithTheArgumentsItIsLoadedWith() {
        List<Row> rows = ashlar.read("guest").load("older", Map.of("years", 20)).where(gt("older", 50)).list();

        assertThat(rows).extracting(row -> row.get("first_name")).containsExactly("Ada");
        assertThat(rows.get(0).get("older")).isEqualTo(56);
    }

    @Test
    void aRelationshipsLoadGivesItsRecordsCalculationsArgumentsForTheirValuesFilterAndSort() {
        Row ada = ada().load("visits", v -> v.load("labelled", Map.of("suffix", "!")).sort(Sort.desc("labelled"),
                Sort.asc("id"))).first().orElseThrow();
        assertThat(ada.related("visits")).extracting(visit -> visit.get("labelled"))
                .containsExactly("lunch!", "lunch!", "dinner!");

        Row lunches = ada().load("visits", v -> v.where(eq("labelled", "lunch?"))
                .arguments("labelled", Map.of("suffix", "?"))).first().orElseThrow();
        assertThat(lunches.related("visits")).extracting(visit -> visit.get("kind")).containsExactly("lunch", "lunch");

        assertThatThrownBy(() -> ada().load("visits", v -> v.arguments("nickname", Map.of("x", 1))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("The load of 'visits' gives arguments to 'nickname', and visit declares no "
                        + "calculation of that name");
        assertThatThrownBy(() -> ada().load("visits", v -> v.load("labelled", Map.of("suffix", 1))).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("takes a String for the argument 'suffix', not a java.lang.Integer");
    }

    @Test
    void aNumberOfAnotherClassIsTakenForANumberArgumentWhenItHoldsTheValueExactly() {
        assertThat(adas("older", Map.of("years", 2L))).isEqualTo(38);
        assertThat(adas("older", Map.of("years", new java.math.BigDecimal("2.00")))).isEqualTo(38);
        assertThat(ashlar.read("guest").where(eq("older", 40)).arguments("older", Map.of("years", (short) 4)).list())
                .extracting(row -> row.get("first_name")).containsExactly("Ada");

        assertThatThrownBy(() -> adas("older", Map.of("years", 3_000_000_000L)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("takes a Integer for the argument 'years', not a java.lang.Long that holds "
                        + "3000000000");
        assertThatThrownBy(() -> adas("older", Map.of("years", 2.5)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("not a java.lang.Double that holds 2.5");
    }

    @Test
    void aHostileArgumentOfAFilterIsBoundAsData() {
        String hostile = "' OR 1=1; DROP TABLE arg_guests; --";

        assertThat(ashlar.read("guest").where(eq("full_name", "Ada" + hostile + "Lovelace"))
                .arguments("full_name", Map.of("separator", hostile)).list())
                .extracting(row -> row.get("first_name")).containsExactly("Ada");
        assertThat(ashlar.read("guest").count()).isEqualTo(2);
    }

    @Test
    void aPathGivesTheArgumentsToTheRelatedRecordsCalculationInFiltersAndSorts() {
        // Ash's filter(guest.full_name(separator: "~") == "Ada~Lovelace") on a visit
        assertThat(ashlar.read("visit").where(eq("guest.full_name", "Ada~Lovelace"))
                .arguments("guest.full_name", Map.of("separator", "~")).count()).isEqualTo(3);
        assertThat(ashlar.read("visit").where(eq("guest.full_name", "Ada~Lovelace")).count()).isZero();
        // through a to-many path (exists) and in a sort by a to-one path
        assertThat(ashlar.read("guest").where(eq("visits.labelled", "lunch?"))
                .arguments("visits.labelled", Map.of("suffix", "?")).list())
                .extracting(row -> row.get("first_name")).containsExactly("Ada");
        assertThat(ashlar.read("guest").where(exists("visits", eq("labelled", "lunch?")))
                .arguments("visits.labelled", Map.of("suffix", "?")).count()).isEqualTo(1);
        assertThat(ashlar.read("visit").arguments("guest.older", Map.of("years", 1)).where(eq("guest.older", 37))
                .count()).isEqualTo(3);
        // Bob's one visit is tea: by the guest's teas his visit comes first, by the default dinners last
        Row tea = ashlar.create("visit", Map.of("kind", "tea", "guest_id",
                ashlar.read("guest").where(eq("first_name", "Bob")).first().orElseThrow().get("id")));
        try {
            Read byGuestsVisits = ashlar.read("visit").sort(Sort.desc("guest.visits_of"), Sort.asc("id"));
            assertThat(byGuestsVisits.arguments("guest.visits_of", Map.of("kind", "tea")).first().orElseThrow()
                    .get("kind")).isEqualTo("tea");
            assertThat(byGuestsVisits.list()).last().extracting(row -> row.get("kind")).isEqualTo("tea");
        } finally {
            ashlar.destroy(tea);
        }
        // the read's own calculation of the same name keeps its own arguments
        assertThat(ashlar.read("guest").where(and(eq("full_name", "Ada-Lovelace"), eq("visits.labelled", "lunch!")))
                .arguments("full_name", Map.of("separator", "-"))
                .arguments("visits.labelled", Map.of("suffix", "!")).count()).isEqualTo(1);
    }

    @Test
    void argumentsForAPathThatEndsInNoCalculationAreRefusedNamingThePath() {
        assertThatThrownBy(() -> ashlar.read("visit").arguments("guest.nickname", Map.of("x", 1)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("guest declares none named 'nickname'");
        assertThatThrownBy(() -> ashlar.read("visit").arguments("host.full_name", Map.of("separator", "~")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'host' is no relationship of visit");
        assertThatThrownBy(() -> ashlar.read("visit").where(eq("guest.older", 1))
                .arguments("guest.older", Map.of("years", "ten")).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("takes a Integer for the argument 'years', not a java.lang.String");
    }

    @Test
    void argumentsForWhatIsNoCalculationOrOfTheWrongTypeAreRefusedNamingIt() {
        assertThatThrownBy(() -> ashlar.read("guest").arguments("nickname", Map.of("x", 1)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("guest declares none named 'nickname'");
        assertThatThrownBy(() -> ashlar.read("guest").where(gt("older", 1)).arguments("older",
                Map.of("years", "ten")).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("takes a Integer for the argument 'years', not a java.lang.String");
        assertThatThrownBy(() -> ashlar.read("guest").where(eq("visit_count", 1L))
                .arguments("visit_count", Map.of("kind", "x")).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'visit_count' of guest is an aggregate, which takes no arguments");
    }

    @Test
    void oneReadLoadsACalculationTwiceWithTwoArgumentSetsUnderAnotherName() {
        Row ada = ada().load("full_name", Map.of("separator", "-"))
                .load("full_name", "full_name_dotted", Map.of("separator", "."))
                .load("greeting", "greeting_plain", Map.of("punct", "."))
                .first().orElseThrow();

        assertThat(ada.get("full_name")).isEqualTo("Ada-Lovelace");
        assertThat(ada.get("full_name_dotted")).isEqualTo("Ada.Lovelace");
        assertThat(ada.get("greeting_plain")).isEqualTo("Hi Ada.?");
    }

    @Test
    void aCalculationLoadedUnderAnotherNameIsFilteredAndSortedByThatName() {
        List<Row> guests = ashlar.read("guest").load("older", "older_by_ten", Map.of("years", 10))
                .where(gt("older_by_ten", 29)).sort(Sort.desc("older_by_ten")).list();

        assertThat(guests).extracting(row -> row.get("first_name") + ":" + row.get("older_by_ten"))
                .containsExactly("Ada:46", "Bob:30");
        assertThat(ashlar.read("guest").load("older", "older_by_ten", Map.of("years", 10))
                .where(gt("older_by_ten", 40)).list()).extracting(row -> row.get("first_name")).containsExactly("Ada");
    }

    @Test
    void aCalculationLoadedUnderATakenNameOrOneNotDeclaredIsRefusedNamingIt() {
        assertThatThrownBy(() -> ada().load("full_name", "age", Map.of("separator", "-")))
                .isInstanceOf(QueryException.class).hasMessageContaining("'age'").hasMessageContaining("used twice");
        assertThatThrownBy(() -> ada().load("ful_name", "x", Map.of()))
                .isInstanceOf(QueryException.class).hasMessageContaining("no calculation named 'ful_name'")
                .hasMessageContaining("full_name");
        assertThatThrownBy(() -> ada().load("full_name", "full_name_dotted", Map.of("sep", ".")).list())
                .isInstanceOf(QueryException.class).hasMessageContaining("has no argument 'sep'");
    }

    @Test
    void aReadGivingBadArgumentsIsRefusedNamingTheCalculationAndTheFix() {
        assertThatThrownBy(() -> adas("full_name", Map.of("sep", "-")))
                .isInstanceOf(QueryException.class)
                .satisfies(e -> assertThat(((QueryException) e).code()).isEqualTo(ErrorCode.INVALID_QUERY))
                .hasMessageContaining("Calculation 'full_name' of guest has no argument 'sep'; its arguments are "
                        + "[separator]");
        assertThatThrownBy(() -> ada().load("tagged").list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("needs the argument 'tag', which has no default");
        assertThatThrownBy(() -> ashlar.read("guest").where(eq("tagged", "x")).list())
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("needs the argument 'tag', which has no default");
        assertThatThrownBy(() -> adas("full_name", Map.of("separator", 1)))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("takes a String for the argument 'separator', not a java.lang.Integer");
        Map<String, Object> none = new HashMap<>();
        none.put("separator", null);
        assertThatThrownBy(() -> adas("full_name", none))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("refuses null for the argument 'separator'");
        assertThatThrownBy(() -> adas("visit_count", Map.of("kind", "x")))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("'visit_count' of guest is an aggregate, which takes no arguments");
        assertThatThrownBy(() -> ada().load("nickname", Map.of()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("guest declares none named 'nickname'");
    }

    @Test
    void theDomainRefusesArgumentsWithBadNamesTypesOrDefaults() {
        assertThatThrownBy(() -> Domain.builder("bad").resource(Resource.builder("guest").table("guests")
                        .integerPrimaryKey("id").attribute("name", TEXT)
                        .calculate("bad_name", String.class, "name", CalculationArgument.of("1x", String.class))
                        .calculate("twice", String.class, "name || :a || :a", CalculationArgument.of("a",
                                String.class), CalculationArgument.of("a", String.class))
                        .calculate("bad_type", String.class, "name || :a", CalculationArgument.of("a", List.class))
                        .calculate("bad_default", String.class, "name || :a",
                                CalculationArgument.of("a", String.class).withDefault(1))
                        .calculate("null_default", String.class, "name || :a",
                                CalculationArgument.of("a", String.class).notNull().withDefault(null))
                        .build()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("the argument name '1x' is not one a :name mark can name")
                .hasMessageContaining("declares the argument 'a' twice")
                .hasMessageContaining("the argument 'a' is of type java.util.List")
                .hasMessageContaining("the default of argument 'a' is a java.lang.Integer, not a java.lang.String")
                .hasMessageContaining("the default of argument 'a' is null, which it refuses");
    }

    @Test
    void theDataLayerRefusesMarksWithoutArgumentsArgumentsWithoutMarksAndDefaultlessArgumentsNamedElsewhere() {
        assertThatThrownBy(() -> start(Resource.builder("guest").table("arg_guests").integerPrimaryKey("id")
                .attribute("first_name", TEXT).calculate("marked", String.class, "first_name || :sep")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("calculation 'marked' of guest marks :sep, which is none of its arguments []");
        assertThatThrownBy(() -> start(Resource.builder("guest").table("arg_guests").integerPrimaryKey("id")
                .attribute("first_name", TEXT).calculate("unused", String.class, "first_name || '::sep'",
                        CalculationArgument.of("sep", String.class))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("declares the argument 'sep', which its SQL never marks");
        assertThatThrownBy(() -> start(Resource.builder("guest").table("arg_guests").integerPrimaryKey("id")
                .attribute("first_name", TEXT)
                .calculate("tagged", String.class, "first_name || :tag", CalculationArgument.of("tag", String.class))
                .calculate("loud", String.class, "upper(tagged)")))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("calculation 'loud' names calculation 'tagged', which reads it with its "
                        + "arguments' defaults, but an argument of 'tagged' has none");
    }

    private void start(dev.ashlar.api.resource.ResourceBuilder guest) {
        Ashlar.builder().dataSource(db.dataSource()).domain(Domain.builder("one").resource(guest.build()).build())
                .build().close();
    }

    @Test
    void aCalculationWithAnArgumentInATenantsSchemaCountsOnlyThatTenantsRows() {
        for (String tenant : List.of("calcargs_a", "calcargs_b")) {
            db.execute("CREATE SCHEMA " + tenant + "; CREATE TABLE " + tenant + ".arg_guests (LIKE public.arg_guests "
                    + "INCLUDING ALL); CREATE TABLE " + tenant + ".arg_stays (guest_id int, kind text); INSERT INTO "
                    + tenant + ".arg_guests (id, first_name, last_name, age) VALUES (1, 'Ada', '" + tenant + "', 1)");
        }
        db.execute("INSERT INTO calcargs_a.arg_stays VALUES (1, 'tea'), (1, 'gin')");
        db.execute("INSERT INTO calcargs_b.arg_stays VALUES (1, 'tea'), (1, 'tea'), (1, 'tea')");
        Domain tenants = Domain.builder("tenant_arguments").resource(Resource.builder("guest").table("arg_guests")
                .integerPrimaryKey("id").attribute("first_name", TEXT).attribute("last_name", TEXT)
                .calculate("full_name", String.class, "first_name || :separator || last_name", SEPARATOR)
                .calculate("stays", Long.class,
                        "(SELECT count(*) FROM arg_stays AS s WHERE s.guest_id = self.id AND s.kind = :kind)",
                        CalculationArgument.of("kind", String.class))
                .build()).build();
        try (Ashlar scoped = Fixtures.ashlar(db, tenants, OneResourceTenancy.schemas("guest"))) {
            Row a = scoped.withTenant("calcargs_a").read("guest").load("stays", Map.of("kind", "tea"))
                    .load("full_name", Map.of("separator", "@")).first().orElseThrow();
            Row b = scoped.withTenant("calcargs_b").read("guest").load("stays", Map.of("kind", "tea"))
                    .first().orElseThrow();

            assertThat(a.get("stays")).isEqualTo(1L);
            assertThat(a.get("full_name")).isEqualTo("Ada@calcargs_a");
            assertThat(b.get("stays")).isEqualTo(3L);
        }
    }
}
