package dev.ashlar.integration;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.spi.schema.Scope;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.integration.GenerationRoundTrip.domain;
import static dev.ashlar.integration.GenerationRoundTrip.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rename questions of AshPostgres's {@code migration_generator_test} ("when renaming a field, it asks ..."),
 * answered as a person at the terminal would, each generation applied to a table with rows. The other cases of that
 * suite are restated by the tests the README's "Migrations" section lists.
 */
class AshPostgresSuiteMigrationGeneratorTest extends RoundTripGround {
    private final List<String> questions = new ArrayList<>();

    AshPostgresSuiteMigrationGeneratorTest() {
        super("example");
    }

    /** Renames from {@code hints}, then from answering yes to the questions {@code yes} accepts, recording each. */
    private Renames answeringYesTo(List<String> hints, Predicate<String> yes) {
        return Renames.asking(hints, question -> {
            questions.add(question);
            return yes.test(question);
        });
    }

    /** Renames decided by answering each question in turn, recording the questions asked. */
    private Renames answering(Boolean... answers) {
        Iterator<Boolean> next = List.of(answers).iterator();
        return answeringYesTo(List.of(), question -> next.next());
    }

    private static ResourceBuilder posts(String schema) {
        return resource("post", "posts").schema(schema).uuidPrimaryKey("id");
    }

    /** Creates posts with a title and two rows, 'a' and 'b'. */
    private void postsWithTitles(String schema) {
        generations.roundTrip(domain(posts(schema).attribute("title", TEXT)), "create");
        db.execute("INSERT INTO " + schema + ".posts (title) VALUES ('a'), ('b')");
    }

    private List<Object> column(String table, String name) {
        return db.query("SELECT " + name + " AS v FROM " + table + " ORDER BY id").stream()
                .map(row -> row.get("v")).toList();
    }

    private List<Object> titlesInOrder(String column) {
        return db.query("SELECT " + column + " AS v FROM posts ORDER BY " + column).stream()
                .map(row -> row.get("v")).toList();
    }

    @Test
    void aRemovedColumnAnsweredAsRenamedIsRenamedKeepingItsRowsAndTakesTheNewNotNull() {
        postsWithTitles("public");

        generations.roundTrip(domain(posts("public").attribute("name", TEXT, a -> a.notNull())), "rename",
                answering(true));

        assertThat(questions).containsExactly("Is posts.title renamed to posts.name?");
        assertThat(titlesInOrder("name")).containsExactly("a", "b");
        assertThat(generations.catalog()).contains("column posts.name text not null")
                .noneMatch(line -> line.startsWith("column posts.title"));
    }

    /**
     * AshPostgres then adds {@code name} {@code NOT NULL} without a default, which the rows cannot fill: codegen refuses
     * it, and with a default the rows get it.
     */
    @Test
    void aRemovedColumnAnsweredAsNotRenamedIsDroppedAndTheNewRequiredColumnNeedsADefaultThatFillsTheRows() {
        postsWithTitles("public");

        Codegen refused = generations.codegen(domain(posts("public").attribute("name", TEXT, a -> a.notNull())),
                answering(false));
        assertThatThrownBy(() -> refused.generate("add_name")).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'post', 'name'")
                .hasMessageContaining("NOT NULL without a default to table public.posts");
        assertThat(Codegen.migrations(project, Scope.MAIN)).isDirectoryNotContaining("glob:**add_name*");
        assertThat(questions).containsExactly("Is posts.title renamed to posts.name?");

        questions.clear();
        Codegen.Result result = generations.roundTrip(domain(posts("public").attribute("name", TEXT,
                a -> a.notNull().defaultValue("none"))), "add_name", answering(false));

        assertThat(questions).containsExactly("Is posts.title renamed to posts.name?");
        assertThat(result.destructive()).singleElement().asString().contains("title");
        assertThat(column("posts", "name")).containsExactly("none", "none");
        assertThat(generations.catalog()).contains("column posts.name text not null default 'none'::text")
                .noneMatch(line -> line.startsWith("column posts.title"));
    }

    @Test
    void withTwoNewColumnsEachIsAskedInTurnAndTheOneAnsweredTakesTheRowsWhileTheOtherIsAdded() {
        postsWithTitles("public");

        generations.roundTrip(domain(posts("public").attribute("name", TEXT).attribute("subject", TEXT,
                a -> a.notNull())), "rename", answering(false, true));

        assertThat(questions).containsExactly("Is posts.title renamed to posts.name?",
                "Is posts.title renamed to posts.subject?");
        assertThat(titlesInOrder("subject")).containsExactly("a", "b");
        assertThat(column("posts", "name")).containsOnlyNulls().hasSize(2);
        assertThat(generations.catalog()).contains("column posts.subject text not null", "column posts.name text");
    }

    @Test
    void withTwoNewColumnsBothAnsweredNoTheOldColumnIsDroppedAndBothAddedToTheRows() {
        postsWithTitles("public");

        Codegen.Result result = generations.roundTrip(domain(posts("public").attribute("name", TEXT)
                .attribute("subject", TEXT)), "replace", answering(false, false));

        assertThat(questions).containsExactly("Is posts.title renamed to posts.name?",
                "Is posts.title renamed to posts.subject?");
        assertThat(result.destructive()).singleElement().asString().contains("title");
        assertThat(db.value("SELECT count(*) FROM posts WHERE name IS NULL AND subject IS NULL")).isEqualTo(2L);
        assertThat(generations.catalog()).contains("column posts.name text", "column posts.subject text")
                .noneMatch(line -> line.startsWith("column posts.title"));
    }

    /** "renaming a field honors additional changes", in a schema of its own: the question names the schema. */
    @Test
    void aRenameAskedInAnotherSchemaNamesTheSchemaAndAppliesTheNewNotNullAndDefault() {
        postsWithTitles("example");

        generations.roundTrip(domain(posts("example").attribute("name", TEXT,
                a -> a.notNull().defaultValue("fred"))), "rename", answering(true));

        assertThat(questions).containsExactly("Is example.posts.title renamed to example.posts.name?");
        assertThat(column("example.posts", "name")).containsExactlyInAnyOrder("a", "b");
        db.execute("INSERT INTO example.posts DEFAULT VALUES");
        assertThat(db.value("SELECT count(*) FROM example.posts WHERE name = 'fred'")).isEqualTo(1L);
        assertThat(generations.catalog()).contains("column posts.name text not null default 'fred'::text");
    }

    @Test
    void aTableRenameAskedInAnotherSchemaNamesTheSchemaAndKeepsTheRows() {
        postsWithTitles("example");

        generations.roundTrip(domain(resource("post", "articles").schema("example").uuidPrimaryKey("id")
                .attribute("title", TEXT)), "rename", answering(true));

        assertThat(questions).containsExactly("Is table example.posts renamed to example.articles?");
        assertThat(column("example.articles", "title")).containsExactlyInAnyOrder("a", "b");
    }

    /** Tables named posts in public and in example (the latter stored as {@code exampleTable}), with titles. */
    private static ResourceBuilder[] postsInTwoSchemas(String exampleTable) {
        return new ResourceBuilder[] {posts("public").attribute("title", TEXT),
                resource("example_post", exampleTable).schema("example").uuidPrimaryKey("id").attribute("title", TEXT)};
    }

    /**
     * A bare hint ({@code posts=articles}) is refused here, since public.posts stays: the qualified one is the way to
     * say which posts was renamed without a terminal.
     */
    @Test
    void aSchemaQualifiedHintRenamesTheTableOfThatSchemaOnlyKeepingItsRows() {
        generations.roundTrip(domain(postsInTwoSchemas("posts")), "create");
        db.execute("INSERT INTO example.posts (title) VALUES ('a'), ('b'); "
                + "INSERT INTO public.posts (title) VALUES ('p')");

        generations.roundTrip(domain(postsInTwoSchemas("articles")), "rename", "example.posts=example.articles");

        assertThat(column("example.articles", "title")).containsExactlyInAnyOrder("a", "b");
        assertThat(column("public.posts", "title")).containsExactly("p");
    }

    @Test
    void aSchemaQualifiedHintGivenInATerminalRenamesTheTableWithoutAskingAgain() {
        generations.roundTrip(domain(postsInTwoSchemas("posts")), "create");
        db.execute("INSERT INTO example.posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(postsInTwoSchemas("articles")), "rename",
                answeringYesTo(List.of("example.posts=example.articles"), question -> false));

        assertThat(questions).isEmpty();
        assertThat(column("example.articles", "title")).containsExactlyInAnyOrder("a", "b");
    }

    /**
     * A schema-per-tenant posts beside public.posts: the question about the tenants' table says so, and answering yes
     * to it alone renames the tenants' column while public.posts drops its own.
     */
    @Test
    void aQuestionAboutATenantTableSaysSoAndItsAnswerIsNotTakenForThePublicTableOfTheSameName() {
        generations.withTenant("example");
        generations.roundTrip(domain(posts("public").attribute("title", TEXT), resource("tenant_post", "posts")
                .uuidPrimaryKey("id").attribute("title", TEXT).with(Multitenancy.context())), "create");
        db.execute("INSERT INTO public.posts (title) VALUES ('p'); "
                + "INSERT INTO example.posts (title) VALUES ('a'), ('b')");

        generations.roundTrip(domain(posts("public").attribute("name", TEXT), resource("tenant_post", "posts")
                .uuidPrimaryKey("id").attribute("name", TEXT).with(Multitenancy.context())), "rename",
                answeringYesTo(List.of(), question -> question.endsWith(" in each tenant schema?")));

        assertThat(questions).containsExactlyInAnyOrder("Is posts.title renamed to posts.name?",
                "Is posts.title renamed to posts.name in each tenant schema?");
        assertThat(column("example.posts", "name")).containsExactlyInAnyOrder("a", "b");
        assertThat(column("public.posts", "name")).containsOnlyNulls().hasSize(1);
    }

    /**
     * {@code create_table_options} (the delta snapshots' "CreateTable carries create_table_options"): written when the
     * table is created, recorded in its snapshot, and a later change alters no existing table, rows and all.
     */
    @Test
    void createTableOptionsShapeTheNewTableAndALaterChangeLeavesTheExistingTableAndItsRowsAsTheyAre() {
        generations.roundTrip(domain(posts("public").attribute("title", TEXT)
                .createTableOptions("WITH (fillfactor = 70)")), "create");
        db.execute("INSERT INTO posts (title) VALUES ('a'), ('b')");
        assertThat(db.value("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'posts'::regclass"))
                .isEqualTo("fillfactor=70");

        Codegen.Result changed = generations.codegen(domain(posts("public").attribute("title", TEXT)
                .createTableOptions("WITH (fillfactor = 50)"))).generate("fill");

        assertThat(changed.files()).isEmpty();
        generations.migrate();
        assertThat(db.value("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = 'posts'::regclass"))
                .isEqualTo("fillfactor=70");
        assertThat(titlesInOrder("title")).containsExactly("a", "b");
    }
}
