package dev.ashlar.integration;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.plugins.indexes.IndexesPlugin;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.OnUpdate;
import dev.ashlar.plugins.references.Reference;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.references.ReferencesPlugin;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.plugins.tenancy.TenancyPlugin;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static dev.ashlar.plugins.indexes.CustomStatements.statement;
import static dev.ashlar.plugins.references.Reference.reference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Citus refuses, refused when the migrations are generated for it, with the reason, and left alone for
 * one server: an identity or unique index across all tenants on a distributed table, a key between distributed
 * tables that leaves the tenant column out, and functions in statements where Citus refuses them
 * ({@code CitusAttributeTenantsTest} runs the same statements on a cluster).
 */
class CitusCodegenRefusalsTest {
    private static final Plugins PLUGINS = Plugins.none().with(new TenancyPlugin()).with(new ReferencesPlugin())
            .with(new IndexesPlugin());

    static ResourceBuilder post() {
        return Resource.builder("post").table("posts").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).attribute("title", TEXT).attribute("token", TEXT)
                .with(Multitenancy.attribute("org_id"));
    }

    private static List<Table> build(Target target, Resource... resources) {
        return new SchemaBuilder(Domain.builder("blog").resources(resources).build(), PLUGINS, target).build().tables();
    }

    @Test
    void anIdentityAcrossAllTenantsOnThePrimaryKeyIsUniqueByTenantAndKeyOnCitusAndAnyOtherIsRefused() {
        Resource byId = post().identity("by_id", List.of("id"), null, true).build();
        Table table = build(Target.CITUS, byId).get(0);
        assertThat(table.objects()).filteredOn(o -> o.kind().equals(ObjectKind.IDENTITY)).singleElement()
                .satisfies(o -> assertThat(o.up()).contains("(\"org_id\", \"id\")"));
        assertThat(build(Target.POSTGRESQL, byId).get(0).objects())
                .filteredOn(o -> o.kind().equals(ObjectKind.IDENTITY)).singleElement().satisfies(o -> assertThat(o.up()).contains("(\"id\")"));

        Resource byTitle = post().identity("unique_title", List.of("title"), null, true).build();
        assertThatThrownBy(() -> build(Target.CITUS, byTitle)).isInstanceOfSatisfying(DefinitionException.class,
                        e -> assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.field())
                                .isEqualTo("unique_title")))
                .hasMessageContaining("is unique across all tenants, which Citus cannot enforce on a table "
                        + "distributed by [org_id]").hasMessageContaining("leave out allTenants");
        assertThatCode(() -> build(Target.POSTGRESQL, byTitle)).doesNotThrowAnyException();

        Resource byCode = post().with(CustomIndexes.of(index("token").unique().allTenants(true))).build();
        assertThatThrownBy(() -> build(Target.CITUS, byCode)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("The unique index 'posts_token_index' of resource 'post' spans all tenants, "
                        + "which Citus cannot enforce");
        assertThatCode(() -> build(Target.POSTGRESQL, byCode)).doesNotThrowAnyException();
    }

    @Test
    void aKeyBetweenDistributedTablesThatLeavesTheTenantOutIsRefusedOnCitus() {
        Resource comment = Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).belongsTo("post", "post")
                .with(Multitenancy.attribute("org_id"))
                .with(References.of(reference("post").matchTenant(false))).build();

        assertThatThrownBy(() -> build(Target.CITUS, post().build(), comment))
                .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.resource() + "." + p.field()).isEqualTo("comment.post")))
                .hasMessageContaining("says matchTenant(false), but on Citus 'comments' and 'posts' are distributed "
                        + "by [org_id]").hasMessageContaining("remove matchTenant(false)");
        assertThatCode(() -> build(Target.POSTGRESQL, post().build(), comment)).doesNotThrowAnyException();
    }

    @Test
    void aKeyOnTheTenantColumnThatNilifiesOnDeleteOrActsOnUpdateIsRefusedOnCitusAndAnyOtherActionKept() {
        for (Reference refused : List.of(reference("post").onDelete(OnDelete.NILIFY),
                reference("post").onUpdate(OnUpdate.UPDATE), reference("post").onUpdate(OnUpdate.NILIFY))) {
            Resource comment = comment(refused);
            assertThatThrownBy(() -> build(Target.CITUS, post().build(), comment)).as(refused.toString())
                    .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                            .satisfies(p -> assertThat(p.resource() + "." + p.field()).isEqualTo("comment.post")))
                    .hasMessageContaining("on Citus its key includes the tenant column [org_id] that 'comments' is "
                            + "distributed by").hasMessageContaining("onDelete(OnDelete.DELETE)");
            assertThatCode(() -> build(Target.POSTGRESQL, post().build(), comment)).doesNotThrowAnyException();
        }
        for (Reference kept : List.of(reference("post").onDelete(OnDelete.DELETE), reference("post")
                .onDelete(OnDelete.RESTRICT), reference("post").onUpdate(OnUpdate.RESTRICT))) {
            assertThatCode(() -> build(Target.CITUS, post().build(), comment(kept))).doesNotThrowAnyException();
        }
    }

    private static Resource comment(Reference reference) {
        return Resource.builder("comment").table("comments").integerPrimaryKey("id")
                .attribute("org_id", TEXT, a -> a.notNull()).belongsTo("post", "post", r -> r.allowNil(true))
                .with(Multitenancy.attribute("org_id")).with(References.of(reference)).build();
    }

    /** Statements Citus refuses on a distributed table, with the function the refusal names. */
    static final List<List<String>> REFUSED = List.of(
            List.of("UPDATE posts SET title = 'x' RETURNING id, now()", "now()", "in RETURNING"),
            List.of("UPDATE \"posts\" SET token = gen_random_uuid()::text", "gen_random_uuid()", "in an UPDATE"),
            List.of("DELETE FROM posts WHERE random() < 0.5", "random()", "in a DELETE"),
            List.of("DELETE FROM posts WHERE id = 0 RETURNING current_timestamp", "current_timestamp", "in RETURNING"));

    /** Statements Citus runs on a distributed table: left alone. */
    static final List<String> ACCEPTED = List.of(
            "UPDATE posts SET token = now()::text",
            "INSERT INTO posts (org_id, title, token) VALUES ('acme', 'seeded', gen_random_uuid()::text) RETURNING id",
            "ALTER TABLE posts ADD COLUMN uid uuid NOT NULL DEFAULT gen_random_uuid()",
            "CREATE FUNCTION posts_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "UPDATE posts SET token = random()::text WHERE id = NEW.id; RETURN NEW; END $$",
            "COMMENT ON TABLE posts IS 'UPDATE posts SET token = random()'");

    @Test
    void functionsInStatementsAreRefusedOnCitusWhereItRefusesThemAndNowhereElse() {
        for (List<String> refused : REFUSED) {
            Resource withStatement = post().with(CustomStatements.of(statement("fill").up(refused.get(0))
                    .down("SELECT 1"))).build();
            assertThatThrownBy(() -> build(Target.CITUS, withStatement)).as(refused.get(0))
                    .isInstanceOfSatisfying(DefinitionException.class, e -> assertThat(e.problems()).singleElement()
                            .satisfies(p -> assertThat(p.resource() + "." + p.field()).isEqualTo("post.fill")))
                    .hasMessageContaining("The statement 'fill' of resource 'post' calls " + refused.get(1) + " "
                            + refused.get(2))
                    .hasMessageContaining("(its table 'posts' is distributed on Citus)");
            assertThatCode(() -> build(Target.POSTGRESQL, withStatement)).doesNotThrowAnyException();
        }
        for (String accepted : ACCEPTED) {
            Resource withStatement = post().with(CustomStatements.of(statement("fill").up(accepted)
                    .down("SELECT 1"))).build();
            assertThatCode(() -> build(Target.CITUS, withStatement)).as(accepted).doesNotThrowAnyException();
        }
    }

    @Test
    void aStatementOfAMainTableThatStaysOnTheCoordinatorIsLeftAlone() {
        Resource audit = Resource.builder("audit").table("audits").attribute("id", TEXT, a -> a.primaryKey())
                .attribute("stamp", TEXT).with(CustomStatements.of(statement("stamp")
                        .up("UPDATE audits SET stamp = clock_timestamp()::text RETURNING now()").down("SELECT 1")))
                .build();
        Resource organization = Resource.builder("organization").table("organizations")
                .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("org_", "id")).build();
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id").attribute("body", TEXT)
                .with(Multitenancy.context()).with(CustomStatements.of(statement("stamp")
                        .up("UPDATE notes SET body = random()::text").down("SELECT 1"))).build();

        assertThatCode(() -> build(Target.CITUS, audit)).doesNotThrowAnyException();
        assertThatThrownBy(() -> build(Target.CITUS, organization, note))
                .hasMessageContaining("The statement 'stamp' of resource 'note' calls random() in an UPDATE");
    }
}
