package dev.ashlar.plugins.tenancy;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.data.Manage;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Related records written with their record (Ash's {@code manage_relationship}) from the attacker's side: a tenant
 * linking, updating or destroying another tenant's records by key through a nested write finds none and changes
 * nothing, and records created nested under a tenant land in that tenant, with a tenant column and with a schema per
 * tenant.
 */
@ExtendWith(PostgresExtension.class)
class ManagedRelationshipTenancyTest {
    static final Resource TENANT = Resource.builder("tenant").table("tenants")
            .attribute("id", TEXT, a -> a.primaryKey()).with(ManageTenant.template("nested_", "id")).build();

    @TempDir
    Path project;
    TestDatabase db;
    Ashlar ashlar;

    /** A post with comments and tags, and a join resource, each scoped by the tenancy given. */
    static List<Resource> blog(String prefix, UnaryOperator<ResourceBuilder> tenancy) {
        return List.of(
                tenancy.apply(Resource.builder(prefix + "post").table(prefix + "posts").integerPrimaryKey("id")
                        .attribute("title", TEXT)
                        .hasMany("comments", prefix + "comment", r -> r.destinationAttribute("post_id"))
                        .manyToMany("tags", prefix + "tag", r -> r.through(prefix + "post_tag")
                                .sourceAttributeOnJoin("post_id").destinationAttributeOnJoin("tag_id"))).build(),
                tenancy.apply(Resource.builder(prefix + "comment").table(prefix + "comments").integerPrimaryKey("id")
                        .attribute("body", TEXT, a -> a.notNull()).belongsTo("post", prefix + "post")).build(),
                tenancy.apply(Resource.builder(prefix + "tag").table(prefix + "tags").integerPrimaryKey("id")
                        .attribute("name", TEXT)).build(),
                tenancy.apply(Resource.builder(prefix + "post_tag").table(prefix + "post_tags").integerPrimaryKey("id")
                        .belongsTo("post", prefix + "post").belongsTo("tag", prefix + "tag")).build());
    }

    @BeforeEach
    void migrated(TestDatabase database) {
        db = database;
        Domain.Builder domain = Domain.builder("nested").resource(TENANT);
        blog("org_", b -> b.attribute("org_id", BIGINT, a -> a.notNull()).with(Multitenancy.attribute("org_id")))
                .forEach(domain::resource);
        blog("", b -> b.with(Multitenancy.context())).forEach(domain::resource);
        ashlar = TenancyDataTest.migrated(db, project, domain.build(), "nested_");
        ashlar.create("tenant", Map.of("id", "acme"));
        ashlar.create("tenant", Map.of("id", "globex"));
    }

    @AfterEach
    void close() {
        ashlar.close();
    }

    @Test
    void aTenantLinkingAnotherTenantsTagOrCommentByKeyFindsNoneAndNothingChanges() {
        Scene scene = scene();
        Ashlar attacker = scene.attacker();
        Row secret = scene.secret();
        Object comment = scene.comment();
        Object tag = scene.tag();
        Row own = scene.own();

        assertThatThrownBy(() -> attacker.update(own, Map.of("tags", List.of(tag)), Manage.relationship("tags").append()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("org_post.tags[0]: no org_tag with key " + tag);
        assertThatThrownBy(() -> attacker.update(own, Map.of("comments", List.of(comment)),
                Manage.relationship("comments").appendAndRemove())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> attacker.create("org_post", Map.of("title", "forged", "tags", List.of(tag)),
                Manage.relationship("tags").append())).isInstanceOf(NotFoundException.class);

        assertThat(db.query("SELECT org_id, post_id, tag_id FROM org_post_tags"))
                .containsExactly(Map.of("org_id", 42L, "post_id", secret.get("id"), "tag_id", tag));
        assertThat(db.query("SELECT org_id, post_id, body FROM org_comments"))
                .containsExactly(Map.of("org_id", 42L, "post_id", secret.get("id"), "body", "plan"));
        assertThat(db.value("SELECT count(*) FROM org_posts")).isEqualTo(2L);
    }

    @Test
    void anotherTenantsKeyAndAKeyNoRecordHasFailAlikeSoTheAttackerLearnsNothing() {
        Scene scene = scene();
        String tag = String.valueOf(scene.tag());
        String comment = String.valueOf(scene.comment());

        for (Manage manage : List.of(Manage.relationship("tags").append(), Manage.relationship("tags").remove())) {
            assertThat(failure(() -> scene.attacker().update(scene.own(), Map.of("tags", List.of(scene.tag())),
                    manage))).isEqualTo(failure(() -> scene.attacker().update(scene.own(), Map.of("tags",
                    List.of(9999)), manage)).replace("9999", tag));
        }
        Manage control = Manage.relationship("comments").directControl();
        assertThat(failure(() -> scene.attacker().update(scene.own(), Map.of("comments", List.of(Map.of("id",
                scene.comment(), "body", "x"))), control))).isEqualTo(failure(() -> scene.attacker().update(
                scene.own(), Map.of("comments", List.of(Map.of("id", 9999, "body", "x"))), control))
                .replace("9999", comment));
        assertThat(db.query("SELECT org_id, body FROM org_comments")).containsExactly(Map.of("org_id", 42L,
                "body", "plan"));
        assertThat(db.value("SELECT count(*) FROM org_post_tags")).isEqualTo(1L);
    }

    /** Tenant 42's post with a comment and a tag, and tenant 7's (the attacker's) own post. */
    record Scene(Ashlar attacker, Row secret, Object comment, Object tag, Row own) {
    }

    private Scene scene() {
        Ashlar attacker = ashlar.withTenant("7");
        Row secret = secretPost(ashlar.withTenant("42"));
        return new Scene(attacker, secret, secret.related("comments").get(0).get("id"),
                secret.related("tags").get(0).get("id"), attacker.create("org_post", Map.of("title", "own")));
    }

    /** The victim's post, with a comment and a tag created with it. */
    private static Row secretPost(Ashlar victim) {
        return victim.create("org_post", Map.of("title", "secret", "comments", List.of(Map.of("body", "plan")),
                "tags", List.of(Map.of("name", "internal"))), Manage.relationship("comments").create(),
                Manage.relationship("tags").create());
    }

    private static String failure(Runnable write) {
        try {
            write.run();
        } catch (NotFoundException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
        throw new AssertionError("the write was not refused");
    }

    @Test
    void aTenantsDirectControlNamingAnotherTenantsCommentUpdatesAndDestroysNothing() {
        Ashlar victim = ashlar.withTenant("42");
        Ashlar attacker = ashlar.withTenant("7");
        Row secret = victim.create("org_post", Map.of("title", "secret", "comments", List.of(Map.of("body", "plan"))),
                Manage.relationship("comments").create());
        Object comment = secret.related("comments").get(0).get("id");
        Row own = attacker.create("org_post", Map.of("title", "own", "comments", List.of(Map.of("body", "mine"))),
                Manage.relationship("comments").create());

        assertThatThrownBy(() -> attacker.update(own, Map.of("comments", List.of(Map.of("id", comment, "body",
                "defaced"))), Manage.relationship("comments").directControl()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no org_comment with key " + comment);
        assertThatThrownBy(() -> attacker.update(secret, Map.of("comments", List.of()),
                Manage.relationship("comments").directControl()));
        attacker.update(own, Map.of("comments", List.of()), Manage.relationship("comments").directControl());

        assertThat(db.query("SELECT org_id, body FROM org_comments ORDER BY id"))
                .containsExactly(Map.of("org_id", 42L, "body", "plan"));
    }

    @Test
    void recordsCreatedNestedUnderATenantLandInItAndAForgedTenantColumnWritesNothing() {
        Ashlar attacker = ashlar.withTenant("7");

        attacker.create("org_post", Map.of("title", "own", "comments", List.of(Map.of("body", "a")),
                "tags", List.of(Map.of("name", "t"))), Manage.relationship("comments").create(),
                Manage.relationship("tags").create());
        assertThatThrownBy(() -> attacker.create("org_post", Map.of("title", "forged", "comments",
                List.of(Map.of("body", "b"), Map.of("body", "c", "org_id", 42))), Manage.relationship("comments")
                .create())).isInstanceOf(InvalidDataException.class).hasMessageContaining("comments[1].org_id");

        assertThat(db.value("SELECT array_agg(DISTINCT org_id) FROM (SELECT org_id FROM org_posts UNION ALL "
                + "SELECT org_id FROM org_comments UNION ALL SELECT org_id FROM org_tags UNION ALL "
                + "SELECT org_id FROM org_post_tags) o").toString()).isEqualTo("{7}");
        assertThat(db.value("SELECT count(*) FROM org_comments")).isEqualTo(1L);
        assertThat(db.value("SELECT count(*) FROM org_posts")).isEqualTo(1L);
    }

    @Test
    void aTenantSchemasNestedWritesStayInItsSchemaAndAnotherSchemasKeysAreNotFound() {
        Ashlar acme = ashlar.withTenant("nested_acme");
        Ashlar globex = ashlar.withTenant("nested_globex");
        acme.create("post", Map.of("title", "acme's", "comments", List.of(Map.of("body", "a1"), Map.of("body", "a2")),
                "tags", List.of(Map.of("name", "x"), Map.of("name", "y"))), Manage.relationship("comments").create(),
                Manage.relationship("tags").create());

        Row own = globex.create("post", Map.of("title", "globex's", "comments", List.of(Map.of("body", "g1")),
                "tags", List.of(Map.of("name", "g"))), Manage.relationship("comments").create(),
                Manage.relationship("tags").create());
        assertThatThrownBy(() -> globex.update(own, Map.of("tags", List.of(2)), Manage.relationship("tags").append()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("tags[0]: no tag with key 2");
        assertThatThrownBy(() -> globex.update(own, Map.of("comments", List.of(Map.of("id", 2, "body", "defaced"))),
                Manage.relationship("comments").directControl())).isInstanceOf(NotFoundException.class);
        globex.update(own, Map.of("comments", List.of(Map.of("body", "g2"))), Manage.relationship("comments")
                .directControl());

        assertThat(db.query("SELECT id, body, post_id FROM nested_acme.comments ORDER BY id")).containsExactly(
                Map.of("id", 1, "body", "a1", "post_id", 1), Map.of("id", 2, "body", "a2", "post_id", 1));
        assertThat(db.value("SELECT count(*) FROM nested_acme.post_tags")).isEqualTo(2L);
        assertThat(db.query("SELECT body FROM nested_globex.comments ORDER BY id"))
                .containsExactly(Map.of("body", "g2"));
        assertThat(db.query("SELECT post_id, tag_id FROM nested_globex.post_tags"))
                .containsExactly(Map.of("post_id", 1, "tag_id", 1));
        assertThat(db.value("SELECT to_regclass('public.comments')")).as("nothing in the main schema").isNull();
    }
}
