package dev.ashlar.api.resource;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.query.Sort;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.api.resource.Type.UUID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainValidationTest {

    private static ResourceBuilder resource(String name) {
        return Resource.builder(name).integerPrimaryKey("id");
    }

    private static List<Problem> problems(Domain.Builder builder) {
        try {
            builder.build();
        } catch (DefinitionException e) {
            return e.problems();
        }
        throw new AssertionError("expected the domain to be refused");
    }

    private record Pair(int a, int b) {
    }

    @Test
    void refusesADefaultValueThatCannotBeWrittenAsSqlNamingTheAttributeAndTheTypesAllowed() {
        Resource post = resource("post").attribute("position", TEXT, a -> a.defaultValue(new Pair(1, 2)))
                .attribute("title", TEXT, a -> a.defaultValue("untitled")).build();

        assertThat(problems(Domain.builder("d").resource(post))).singleElement().satisfies(p -> {
            assertThat(p.resource()).isEqualTo("post");
            assertThat(p.field()).isEqualTo("position");
            assertThat(p.message()).startsWith("has a default of type " + Pair.class.getName() + ", which cannot be "
                    + "written as SQL; a default may be a String, Boolean, Short, Integer, Long")
                    .endsWith("or an expression with Default.sql(\"...\")");
        });
    }

    @Test
    void refusesALambdaOrAListWithAnUnwritableElementAsADefault() {
        java.util.function.Supplier<String> lambda = () -> "x";
        Resource post = resource("post").attribute("a", TEXT, o -> o.defaultValue(lambda))
                .attribute("b", Type.arrayOf(TEXT), o -> o.defaultValue(List.of("x", new Object()))).build();

        assertThat(problems(Domain.builder("d").resource(post))).extracting(Problem::field).containsExactly("a", "b");
    }

    @Test
    void acceptsTheDefaultsItCanWrite() {
        Resource post = resource("post").attribute("a", TEXT, o -> o.defaultValue("x"))
                .attribute("b", INTEGER, o -> o.defaultValue(3))
                .attribute("c", Type.arrayOf(TEXT), o -> o.defaultValue(List.of("x", "y")))
                .attribute("d", UUID, o -> o.defaultValue(java.util.UUID.randomUUID()))
                .attribute("e", Type.DATE, o -> o.defaultValue(java.time.LocalDate.of(2026, 1, 1))).build();

        assertThat(Domain.builder("d").resource(post).build().resources()).hasSize(1);
    }

    @Test
    void refusesTwoResourcesWithTheSameName() {
        assertThat(problems(Domain.builder("d").resources(resource("post").build(), resource("post").build())))
                .singleElement().hasToString("resource 'post': is added twice; resource names must be unique in a domain");
    }

    @Test
    void acceptsTwoResourcesOnTheSameTableWhoseColumnsTheSchemaMerges() {
        Domain domain = Domain.builder("d").resources(resource("post").table("items").build(),
                resource("page").table("items").build()).build();

        assertThat(domain.resources()).extracting(Resource::table).containsExactly("items", "items");
    }

    @Test
    void refusesARelationshipToAnUnknownResource() {
        assertThat(problems(Domain.builder("d").resource(resource("comment").belongsTo("post", "posts").build())))
                .singleElement().satisfies(p -> {
                    assertThat(p.resource()).isEqualTo("comment");
                    assertThat(p.field()).isEqualTo("post");
                    assertThat(p.message()).isEqualTo("points at resource 'posts', which is not in the domain; add it "
                            + "with .resource(...) or fix the name (known: [comment])");
                });
    }

    @Test
    void refusesABelongsToWhoseDeclaredKeyHasAnotherTypeThanTheReferencedKey() {
        Resource user = Resource.builder("user").uuidPrimaryKey("id").build();
        Resource post = resource("post").attribute("author_id", INTEGER).belongsTo("author", "user").build();

        assertThat(problems(Domain.builder("d").resources(user, post))).singleElement()
                .hasToString("resource 'post', 'author': references user.id of type UUID, but its attribute "
                        + "'author_id' is INTEGER; declare it as UUID or remove it and let the relationship add it");
    }

    @Test
    void refusesAnIdentityOverAnUnknownField() {
        assertThat(problems(Domain.builder("d").resource(resource("user").attribute("email", TEXT)
                .identity("unique_mail", "mail").build())))
                .singleElement().hasToString("resource 'user', 'unique_mail': lists attribute 'mail', which the "
                        + "resource does not have; it has [id, email]");
    }

    @Test
    void refusesATableNameOverSixtyThreeBytesInsteadOfLettingPostgresTruncateIt() {
        String longName = "x".repeat(64);

        assertThat(problems(Domain.builder("d").resource(resource("post").table(longName).build())))
                .singleElement().satisfies(p -> assertThat(p.toString()).isEqualTo("resource 'post', 'table': name '"
                        + longName + "' is 64 bytes long; PostgreSQL keeps only 63 and would silently truncate it: "
                        + "choose a shorter name; set another with .table(...)"));
    }

    @Test
    void refusesResourceAndRelationshipNamesOverSixtyThreeBytesLikeEveryOtherName() {
        String longName = "r".repeat(64);
        Resource author = resource(longName).table("authors").hasMany("p".repeat(64), "post",
                r -> r.destinationAttribute("author_id")).build();
        Resource post = resource("post").attribute("author_id", INTEGER).build();

        assertThat(problems(Domain.builder("d").resources(author, post))).extracting(Problem::toString)
                .anySatisfy(p -> assertThat(p).contains("name '" + longName + "' is 64 bytes long")
                        .endsWith("give the resource a shorter name"))
                .anySatisfy(p -> assertThat(p).contains("is 64 bytes long").endsWith("rename the relationship"));
    }

    @Test
    void refusesAFieldNameWithADotWhichFiltersWouldReadAsAPath() {
        Resource post = resource("post").attribute("meta.title", TEXT)
                .calculate("with.dot", Long.class, "1").build();

        assertThat(problems(Domain.builder("d").resource(post))).extracting(Problem::field, Problem::message)
                .anySatisfy(p -> assertThat(p.toList()).containsExactly("meta.title", "name 'meta.title' contains '.', "
                        + "which separates the steps of a path in filters and sorts ('author.name'), so the field "
                        + "could never be named: use '_' instead; rename the attribute"))
                .anySatisfy(p -> assertThat(p.toList().get(1).toString()).contains("the calculation's name 'with.dot'"));
    }

    @Test
    void countsBytesNotCharactersForTheIdentifierLimit() {
        String accented = "é".repeat(32);

        assertThat(problems(Domain.builder("d").resource(resource("post").attribute(accented, TEXT).build())))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("is 64 bytes long"));
    }

    @Test
    void refusesAnIdentityWhoseGeneratedIndexNameWouldBeTooLong() {
        Resource user = resource("user").table("accounts_" + "a".repeat(30)).attribute("email", TEXT)
                .identity("unique_email_address_for_login", "email").build();

        assertThat(problems(Domain.builder("d").resource(user))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("is 76 bytes long")
                        .endsWith("it is the identity's index name; give the identity a shorter name or an indexName(...)"));
    }

    @Test
    void refusesATableNameThatMakesThePrimaryKeyNameTooLong() {
        Resource post = resource("post").table("p".repeat(60)).build();

        assertThat(problems(Domain.builder("d").resource(post))).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith("resource 'post', 'table': name '" + "p".repeat(60)
                        + "_pkey' is 65 bytes long").endsWith("it is the primary key's name, the table's name and "
                        + "'_pkey'; set a table name of at most 58 bytes with .table(...)"));
        assertThat(Domain.builder("d").resource(resource("post").table("p".repeat(58)).build()).build().resources())
                .hasSize(1);
    }

    @Test
    void refusesATableNameThatMakesTheTimestampTriggerNameTooLong() {
        Resource post = resource("post").table("p".repeat(50)).timestamps(t -> t.trigger()).build();

        assertThat(problems(Domain.builder("d").resource(post))).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith("resource 'post', 'table': name '" + "p".repeat(50)
                        + "_set_updated_at' is 65 bytes long").endsWith("it is the name of the timestamps' trigger, "
                        + "the table's name and '_set_updated_at'; set a table name of at most 48 bytes with .table(...)"));
        assertThat(Domain.builder("d").resource(resource("post").table("p".repeat(50)).timestamps().build()).build()
                .resources()).hasSize(1);
    }

    @Test
    void refusesEmptyNames() {
        assertThat(problems(Domain.builder("d").resource(Resource.builder("").integerPrimaryKey("id").build())))
                .singleElement().hasToString("a resource has an empty name; give it one with Resource.builder(\"name\")");
        assertThat(problems(Domain.builder("d").resource(resource("post").attribute("", TEXT).build())))
                .singleElement().hasToString("resource 'post', '': name '' is empty; give it a name; rename the attribute");
        assertThat(problems(Domain.builder(" ").resource(resource("post").build())))
                .singleElement().hasToString("the domain needs a name: Domain.builder(\"blog\")");
    }

    @Test
    void refusesAResourceWithoutPrimaryKey() {
        assertThat(problems(Domain.builder("d").resource(Resource.builder("log").attribute("line", TEXT).build())))
                .singleElement().hasToString("resource 'log': has no primary key; add .integerPrimaryKey(\"id\"), "
                        + ".uuidPrimaryKey(\"id\") or an attribute with a -> a.primaryKey()");
    }

    @Test
    void refusesAHasManyWhoseDestinationLacksTheKeyAttribute() {
        Resource post = resource("post").hasMany("comments", "comment").build();
        Resource comment = resource("comment").attribute("body", TEXT).build();

        assertThat(problems(Domain.builder("d").resources(post, comment))).singleElement()
                .hasToString("resource 'post', 'comments': needs attribute 'post_id' on resource 'comment', which it "
                        + "does not have; add it (or a belongsTo that adds it) or name the right one in the "
                        + "relationship's options");
    }

    @Test
    void refusesAManyToManyWithoutAJoinResource() {
        Resource post = resource("post").manyToMany("tags", "tag", r -> { }).build();

        assertThat(problems(Domain.builder("d").resources(post, resource("tag").build()))).singleElement()
                .hasToString("resource 'post', 'tags': needs a join resource: r -> r.through(\"post_tag\")");
    }

    @Test
    void refusesABelongsToThatReferencesANonUniqueAttribute() {
        Resource user = resource("user").attribute("email", TEXT).build();
        Resource post = resource("post").belongsTo("author", "user", r -> r.destinationAttribute("email")).build();

        assertThat(problems(Domain.builder("d").resources(user, post))).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("references user.email, which is in neither its "
                        + "primary key nor an identity without a predicate"));
    }

    @Test
    void acceptsABelongsToAnAttributeThatAnIdentityMakesUniqueWithOthers() {
        Resource dept = resource("dept").attribute("code", TEXT).attribute("org", TEXT)
                .identity("code_org", "code", "org").build();
        Resource employee = resource("employee").belongsTo("dept", "dept", r -> r.destinationAttribute("code")).build();

        assertThat(Domain.builder("d").resources(dept, employee).build().resource("employee").relationship("dept"))
                .isPresent();
    }

    @Test
    void refusesAFirstWithoutAnOrderThroughABelongsToToOneColumnOfACompositeIdentity() {
        Resource dept = resource("dept").attribute("code", TEXT).attribute("org", TEXT).attribute("title", TEXT)
                .identity("code_org", "code", "org").build();
        Resource employee = resource("employee").belongsTo("dept", "dept", r -> r.destinationAttribute("code"))
                .first("dept_title", "dept", "title").build();

        assertThat(problems(Domain.builder("d").resources(dept, employee))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("dept_title");
            assertThat(p.message()).startsWith("the first aggregate needs an order");
        });
    }

    @Test
    void acceptsAFirstWithoutAnOrderThroughABelongsToToAWholeIdentityOrTheKey() {
        Resource dept = resource("dept").attribute("code", TEXT).attribute("title", TEXT)
                .identity("unique_code", "code").build();
        Resource employee = resource("employee").belongsTo("dept", "dept", r -> r.destinationAttribute("code"))
                .belongsTo("boss", "dept").first("dept_title", "dept", "title").first("boss_title", "boss", "title")
                .build();

        assertThat(Domain.builder("d").resources(dept, employee).build().resource("employee").aggregates())
                .extracting(Aggregate::name).containsExactly("dept_title", "boss_title");
    }

    @Test
    void acceptsAFirstWithoutAnOrderThroughASortedHasOneThenABelongsToAndRefusesItThroughAnUnsortedOne() {
        Resource user = resource("user").attribute("name", TEXT).build();
        Resource member = resource("member").belongsTo("channel", "channel").belongsTo("user", "user").build();
        Resource channel = resource("channel")
                .hasOne("first_member", "member", r -> r.sort(Sort.asc("id")))
                .hasOne("any_member", "member")
                .first("first_member_name", "first_member.user", "name")
                .first("any_member_name", "any_member.user", "name")
                .build();

        assertThat(problems(Domain.builder("d").resources(user, member, channel))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("any_member_name");
            assertThat(p.message()).startsWith("the first aggregate needs an order");
        });
    }

    @Test
    void refusesAFirstWithoutAnOrderThroughAnUnsortedLimitOneHasManyAndAcceptsItThroughASortedOne() {
        Resource comment = resource("comment").attribute("body", TEXT).belongsTo("post", "post").build();
        Resource post = resource("post")
                .hasMany("any_comment", "comment", r -> r.limit(1))
                .hasMany("latest_comment", "comment", r -> r.sort(Sort.desc("id")).limit(1))
                .first("any_body", "any_comment", "body")
                .first("latest_body", "latest_comment", "body")
                .build();

        assertThat(problems(Domain.builder("d").resources(comment, post))).singleElement().satisfies(p -> {
            assertThat(p.resource()).isEqualTo("post");
            assertThat(p.field()).isEqualTo("any_body");
            assertThat(p.message()).startsWith("the first aggregate needs an order");
        });
    }

    @Test
    void refusesAFirstWithoutAnOrderThroughAnUnsortedHasManyBeforeASortedHasOne() {
        Resource user = resource("user").attribute("name", TEXT).build();
        Resource member = resource("member").belongsTo("channel", "channel").belongsTo("user", "user").build();
        Resource channel = resource("channel").belongsTo("group", "group")
                .hasOne("first_member", "member", r -> r.sort(Sort.asc("id"))).build();
        Resource group = resource("group").hasMany("channels", "channel")
                .first("a_first_member_name", "channels.first_member.user", "name").build();

        assertThat(problems(Domain.builder("d").resources(user, member, channel, group))).singleElement()
                .satisfies(p -> {
                    assertThat(p.field()).isEqualTo("a_first_member_name");
                    assertThat(p.message()).startsWith("the first aggregate needs an order");
                });
    }

    @Test
    void acceptsAnAggregateSortedByACalculationOfTheRelatedRecordsAndRefusesAnUnknownSortNamingThem() {
        Resource doc = resource("doc").attribute("status", TEXT).belongsTo("skill", "skill")
                .calculate("stamp", Integer.class, "id * 2").build();
        Resource skill = resource("skill").hasMany("docs", "doc")
                .first("latest_status", "docs", "status", Sort.desc("stamp"))
                .first("oldest_status", "docs", "status", Sort.asc("stamped"))
                .build();

        assertThat(problems(Domain.builder("d").resources(doc, skill))).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("oldest_status");
            assertThat(p.message()).contains("sorts by 'stamped'").endsWith("or one of its aggregates or calculations");
        });
    }

    @Test
    void reportsEveryProblemAtOnceInOneMessage() {
        Domain.Builder builder = Domain.builder("blog").resources(
                resource("post").belongsTo("author", "writer").identity("by_slug", "slug").build());

        assertThatThrownBy(builder::build).isInstanceOf(DefinitionException.class)
                .hasMessage("Domain 'blog' has 2 problems:\n"
                        + "  - resource 'post', 'author': points at resource 'writer', which is not in the domain; add "
                        + "it with .resource(...) or fix the name (known: [post])\n"
                        + "  - resource 'post', 'by_slug': lists attribute 'slug', which the resource does not have; "
                        + "it has [id]");
    }

    @Test
    void refusesAnOptionThatDoesNotApplyToTheRelationshipKind() {
        assertThatThrownBy(() -> resource("post").hasMany("comments", "comment", r -> r.through("x")))
                .isInstanceOf(DefinitionException.class)
                .hasMessage("resource 'post', 'comments': the option through does not apply to hasMany");
    }

    @Test
    void addsTheBelongsToKeyTypedLikeTheDestinationsPrimaryKey() {
        Resource user = Resource.builder("user").uuidPrimaryKey("id").build();
        Resource profile = Resource.builder("profile").belongsTo("user", "user", r -> r.primaryKey()).build();
        Resource avatar = resource("avatar").belongsTo("profile", "profile").build();

        Domain domain = Domain.builder("d").resources(avatar, profile, user).build();

        Attribute profileKey = domain.resource("profile").attribute("user_id").orElseThrow();
        assertThat(profileKey.type()).isEqualTo(UUID);
        assertThat(profileKey.primaryKey()).isTrue();
        assertThat(domain.resource("avatar").attribute("profile_id").orElseThrow().type()).isEqualTo(UUID);
        assertThat(domain.resource("avatar").relationship("profile").orElseThrow().destinationAttribute())
                .isEqualTo("user_id");
    }

    @Test
    void aRelationshipWithNoAttributesFromASourceWithACompositeKeyIsRefusedWithoutPointingAtOptionsItRefuses() {
        Domain.Builder domain = Domain.builder("composite_source")
                .resource(Resource.builder("member").integerPrimaryKey("id").attribute("admin", Type.BOOLEAN).build())
                .resource(Resource.builder("line")
                        .attribute("order_id", INTEGER, a -> a.primaryKey())
                        .attribute("position", INTEGER, a -> a.primaryKey())
                        .hasMany("admins", "member", r -> r.noAttributes()
                                .filter(dev.ashlar.api.query.Filter.eq("admin", true)))
                        .build());

        assertThatThrownBy(domain::build).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("admins")
                .hasMessageContaining("noAttributes()")
                .hasMessageContaining("order_id, position")
                .hasMessageContaining("give 'line' a single-attribute primary key")
                .hasMessageNotContaining("name it with r -> r.sourceAttribute(...)");
    }
}
