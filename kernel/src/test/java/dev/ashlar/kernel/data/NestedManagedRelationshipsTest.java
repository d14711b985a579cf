package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Policy;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.resource.Type.BIGINT;
import static dev.ashlar.api.resource.Type.INTEGER;
import static dev.ashlar.api.resource.Type.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Related records nested inside related records, managed by a {@link Manage} of their path ({@code "lines.details"}):
 * an order with its lines, each line with its details and its product, written in one call (Hibernate's cascading
 * {@code persist} of a graph, Ebean's {@code save} of a bean graph, Ash's nested {@code manage_relationship}).
 */
class NestedManagedRelationshipsTest extends DomainDatabaseTest {
    static final Domain DOMAIN = Domain.builder("nested_managed")
            .resource(Resource.builder("order").table("orders").integerPrimaryKey("id")
                    .attribute("number", TEXT, a -> a.notNull()).hasMany("lines", "line").build())
            .resource(Resource.builder("line").table("lines").integerPrimaryKey("id")
                    .attribute("sku", TEXT, a -> a.notNull())
                    .attribute("lock_version", INTEGER, a -> a.notNull().defaultValue(1))
                    .belongsTo("order", "order").belongsTo("product", "product").hasMany("details", "detail")
                    .manyToMany("labels", "label", r -> r.through("line_label"))
                    .optimisticLock("lock_version").build())
            .resource(Resource.builder("detail").table("details").integerPrimaryKey("id")
                    .attribute("qty", INTEGER, a -> a.notNull()).attribute("owner_id", BIGINT)
                    .belongsTo("line", "line").hasMany("notes", "note").build())
            .resource(Resource.builder("note").table("notes").integerPrimaryKey("id")
                    .attribute("text", TEXT, a -> a.notNull()).belongsTo("detail", "detail").build())
            .resource(Resource.builder("label").table("labels").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).build())
            .resource(Resource.builder("line_label").table("line_labels").integerPrimaryKey("id")
                    .belongsTo("line", "line").belongsTo("label", "label").build())
            .resource(Resource.builder("product").table("products").integerPrimaryKey("id")
                    .attribute("name", TEXT, a -> a.notNull()).build())
            .build();

    NestedManagedRelationshipsTest() {
        super(DOMAIN);
    }

    @BeforeEach
    void populated() {
        populate(db);
    }

    /** Order 1 with lines s1 (product 1, details 1 and 2) and s2 (detail 3), and two labels. */
    static void populate(TestDatabase db) {
        db.execute("TRUNCATE orders, lines, details, notes, products, labels, line_labels RESTART IDENTITY CASCADE");
        db.execute("INSERT INTO orders (number) VALUES ('A-1')");
        db.execute("INSERT INTO products (name) VALUES ('bolt')");
        db.execute("INSERT INTO lines (sku, order_id, product_id) VALUES ('s1', 1, 1), ('s2', 1, NULL)");
        db.execute("INSERT INTO details (qty, line_id) VALUES (1, 1), (2, 1), (3, 2)");
        db.execute("INSERT INTO labels (name) VALUES ('fragile'), ('cold')");
    }

    private List<Map<String, Object>> rows(String sql) {
        return db.query(sql);
    }

    private List<Map<String, Object>> everything() {
        return rows("SELECT 'o' AS t, id, number AS v, NULL::int AS parent FROM orders UNION ALL "
                + "SELECT 'l', id, sku || ':' || lock_version, order_id FROM lines UNION ALL "
                + "SELECT 'd', id, qty::text, line_id FROM details UNION ALL "
                + "SELECT 'n', id, text, detail_id FROM notes UNION ALL "
                + "SELECT 'p', id, name, NULL FROM products ORDER BY 1, 2");
    }

    @Test
    void anOrderIsCreatedWithItsLinesTheirDetailsAndTheDetailsNotesEachTakingTheNewKeys() {
        Row order = ashlar.create("order", Map.of("number", "B-2", "lines", List.of(
                        Map.of("sku", "x", "details", List.of(Map.of("qty", 4, "notes", List.of(Map.of("text", "n1"))),
                                Map.of("qty", 5))),
                        Map.of("sku", "y", "details", List.of(Map.of("qty", 6))))),
                Manage.relationship("lines").create(), Manage.relationship("lines.details").create(),
                Manage.relationship("lines.details.notes").create());

        assertThat(rows("SELECT o.number, l.sku, d.qty, n.text FROM orders o JOIN lines l ON l.order_id = o.id "
                + "JOIN details d ON d.line_id = l.id LEFT JOIN notes n ON n.detail_id = d.id WHERE o.id = 2 "
                + "ORDER BY d.id")).extracting(r -> r.get("sku") + "/" + r.get("qty") + "/" + r.get("text"))
                .containsExactly("x/4/n1", "x/5/null", "y/6/null");
        assertThat(order.related("lines")).extracting(line -> line.get("sku") + "="
                + line.related("details").stream().map(d -> d.get("qty")).toList())
                .containsExactlyInAnyOrder("x=[4, 5]", "y=[6]");
        assertThat(order.related("lines").get(0).related("details").get(0).related("notes"))
                .extracting(n -> n.get("text")).containsExactly("n1");
    }

    @Test
    void anInnerDirectControlUpdatesCreatesAndDestroysTheDetailsOfTheLineGiven() {
        Row order = ashlar.get("order", 1);

        Row updated = ashlar.update(order, Map.of("lines", List.of(
                        Map.of("id", 1, "sku", "s1b", "details", List.of(Map.of("id", 1, "qty", 10), Map.of("qty", 11))),
                        Map.of("id", 2))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.details").directControl());

        assertThat(rows("SELECT id, qty, line_id FROM details ORDER BY id")).containsExactly(
                Map.of("id", 1, "qty", 10, "line_id", 1), Map.of("id", 3, "qty", 3, "line_id", 2),
                Map.of("id", 4, "qty", 11, "line_id", 1));
        assertThat(rows("SELECT id, lock_version FROM lines ORDER BY id")).containsExactly(
                Map.of("id", 1, "lock_version", 2), Map.of("id", 2, "lock_version", 1));
        assertThat(updated.related("lines").stream().filter(l -> l.get("id").equals(1)).findFirst().orElseThrow()
                .related("details")).extracting(d -> d.get("qty")).containsExactlyInAnyOrder(10, 11);
    }

    @Test
    void aFailureAtTheThirdLevelRollsEverythingBackAndNamesTheFullPlace() {
        List<Map<String, Object>> before = everything();

        assertThatThrownBy(() -> ashlar.create("order", Map.of("number", "C-3", "lines", List.of(
                        Map.of("sku", "x"),
                        Map.of("sku", "y", "details", List.of(Map.of("qty", 1, "notes", List.of(Map.<String, Object>of())))))),
                Manage.relationship("lines").create(), Manage.relationship("lines.details").create(),
                Manage.relationship("lines.details.notes").create()))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> {
                    assertThat(e.errors()).extracting(error -> error.field())
                            .contains("lines[1].details[0].notes[0].text");
                    assertThat(e.getMessage()).contains("lines[1].details[0].notes[0].text");
                });
        assertThatThrownBy(() -> ashlar.update(ashlar.get("order", 1), Map.of("lines", List.of(
                        Map.of("id", 1, "sku", "changed"),
                        Map.of("id", 2, "details", List.of(Map.of("id", 3, "qty", 9), Map.of("owner_id", 5L))))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.details").directControl()))
                .isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.field()).contains("lines[1].details[1].qty"));

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aNestedDetailOfAnotherLineIsNotFoundNamingItsPlaceAndNothingIsWritten() {
        List<Map<String, Object>> before = everything();

        assertThatThrownBy(() -> ashlar.update(ashlar.get("order", 1), Map.of("lines", List.of(
                        Map.of("id", 1, "sku", "changed", "details", List.of(Map.of("id", 3, "qty", 9))))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.details").directControl()))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("order.lines[0]").hasMessageContaining("line.details[0]")
                .hasMessageContaining("no detail with key 3 related to this line");

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void everyStrategyWorksAtTheInnerLevel() {
        Row order = ashlar.get("order", 1);

        ashlar.update(order, Map.of("lines", List.of(Map.of("id", 2, "details", List.of(1)))),
                Manage.relationship("lines").directControl().unlinkMissing(),
                Manage.relationship("lines.details").append());
        assertThat(rows("SELECT id, line_id FROM details ORDER BY id")).extracting(r -> r.get("line_id"))
                .containsExactly(2, 1, 2);
        assertThat(rows("SELECT id, order_id FROM lines ORDER BY id")).extracting(r -> r.get("order_id"))
                .containsExactly(null, 1);

        ashlar.update(order, Map.of("lines", List.of(Map.of("id", 2, "details", List.of(3)))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.details").remove());
        assertThat(rows("SELECT id, line_id FROM details ORDER BY id")).extracting(r -> r.get("line_id"))
                .containsExactly(2, 1, null);

        ashlar.update(order, Map.of("lines", List.of(Map.of("id", 2, "details", List.of(2, 3)))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.details").appendAndRemove());
        assertThat(rows("SELECT id, line_id FROM details ORDER BY id")).extracting(r -> r.get("line_id"))
                .containsExactly(null, 2, 2);
    }

    @Test
    void aNestedBelongsToIsWrittenBeforeTheLineThatHoldsItsKey() {
        Row order = ashlar.create("order", Map.of("number", "D-4", "lines", List.of(
                        Map.of("sku", "x", "product", Map.of("name", "nut")), Map.of("sku", "y", "product", Map.of("name",
                                "washer")))),
                Manage.relationship("lines").create(), Manage.relationship("lines.product").create());

        assertThat(rows("SELECT l.sku, p.name FROM lines l JOIN products p ON p.id = l.product_id "
                + "WHERE l.order_id = 2 ORDER BY l.id")).containsExactly(Map.of("sku", "x", "name", "nut"),
                Map.of("sku", "y", "name", "washer"));
        assertThat(order.related("lines")).extracting(line -> line.relatedOne("product").orElseThrow().get("name"))
                .containsExactlyInAnyOrder("nut", "washer");
    }

    @Test
    void aNestedManyToManyCreatesLinksAndUpdatesLabelsAndItsDirectControlDestroysTheOneLeftOut() {
        Row order = ashlar.create("order", Map.of("number", "H-8", "lines", List.of(
                        Map.of("sku", "x", "labels", List.of(Map.of("name", "heavy"))))),
                Manage.relationship("lines").create(), Manage.relationship("lines.labels").create());
        Object line = order.related("lines").get(0).get("id");
        assertThat(order.related("lines").get(0).related("labels")).extracting(l -> l.get("name"))
                .containsExactly("heavy");

        ashlar.update(order, Map.of("lines", List.of(Map.of("id", line, "labels", List.of(1)))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.labels").append());
        ashlar.update(order, Map.of("lines", List.of(Map.of("id", line, "labels", List.of(Map.of("id", 1,
                        "name", "very fragile"), Map.of("name", "dry"))))),
                Manage.relationship("lines").directControl(), Manage.relationship("lines.labels").directControl());

        assertThat(rows("SELECT l.name FROM line_labels j JOIN labels l ON l.id = j.label_id WHERE j.line_id = "
                + line + " ORDER BY l.name")).extracting(r -> r.get("name")).containsExactly("dry", "very fragile");
        assertThat(rows("SELECT name FROM labels ORDER BY id")).as("heavy, left out, destroyed")
                .extracting(r -> r.get("name")).containsExactly("very fragile", "cold", "dry");
    }

    @Test
    void aNestedRelationshipGivenWithoutAManageForItsPathIsRefusedNamingThePath() {
        List<Map<String, Object>> before = everything();

        assertThatThrownBy(() -> ashlar.create("order", Map.of("number", "E-5", "lines", List.of(
                        Map.of("sku", "x", "details", List.of(Map.of("qty", 1))))),
                Manage.relationship("lines").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("Manage.relationship(\"lines.details\")");

        assertThat(everything()).isEqualTo(before);
    }

    @Test
    void aManageOfANestedPathIsRefusedWhenItsRelationshipsAreNotManagedOrAreNoRelationships() {
        Map<String, Object> order = Map.of("number", "F-6", "lines", List.of(Map.of("sku", "x")));

        assertThatThrownBy(() -> ashlar.create("order", Map.of("number", "F-6"),
                Manage.relationship("lines.details").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("Manage.relationship(\"lines\")");
        assertThatThrownBy(() -> ashlar.create("order", order, Manage.relationship("lines").create(),
                Manage.relationship("lines.detials").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("lines.detials")
                .hasMessageContaining("details");
        assertThatThrownBy(() -> ashlar.create("order", order, Manage.relationship("lines").append(),
                Manage.relationship("lines.details").create()))
                .isInstanceOf(QueryException.class).hasMessageContaining("'lines' is managed by APPEND");
        assertThat(db.value("SELECT count(*) FROM orders")).isEqualTo(1L);
    }

    @Test
    void aPolicyOfTheInnerLevelRefusesADetailCreatedForAnotherOwnerAndNothingIsWritten() {
        Policy open = Policy.on("order").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW).update(Policy.EVERY_ROW)
                .destroy(Policy.EVERY_ROW);
        Policy lines = Policy.on("line").read(Policy.EVERY_ROW).create(Policy.EVERY_ROW).update(Policy.EVERY_ROW)
                .destroy(Policy.EVERY_ROW);
        Policy details = Policy.on("detail").read(actor -> eq("owner_id", actor.id()))
                .create(actor -> eq("owner_id", actor.id())).update(actor -> eq("owner_id", actor.id()))
                .destroy(actor -> eq("owner_id", actor.id()));
        List<Map<String, Object>> before = everything();
        try (Ashlar policed = Ashlar.builder().dataSource(db.dataSource()).domain(DOMAIN)
                .policies(open, lines, details).build()) {
            Ashlar actor = policed.withUser(2L);

            assertThatThrownBy(() -> actor.create("order", Map.of("number", "G-7", "lines", List.of(
                            Map.of("sku", "x", "details", List.of(Map.of("qty", 1, "owner_id", 1L))))),
                    Manage.relationship("lines").create(), Manage.relationship("lines.details").create()))
                    .isInstanceOf(ForbiddenException.class);
            assertThat(everything()).isEqualTo(before);

            // Details 1 and 2 are no details of this actor's: the inner direct control does not see them, so it does
            // not destroy them as orphans.
            actor.update(actor.get("order", 1), Map.of("lines", List.of(Map.of("id", 1, "details", List.of()))),
                    Manage.relationship("lines").directControl().unlinkMissing(),
                    Manage.relationship("lines.details").directControl());
            assertThat(rows("SELECT id, line_id FROM details ORDER BY id")).extracting(r -> r.get("line_id"))
                    .containsExactly(1, 1, 2);

            actor.create("order", Map.of("number", "G-8", "lines", List.of(
                            Map.of("sku", "x", "details", List.of(Map.of("qty", 1, "owner_id", 2L))))),
                    Manage.relationship("lines").create(), Manage.relationship("lines.details").create());
            assertThat(rows("SELECT qty, owner_id FROM details WHERE id > 3"))
                    .containsExactly(Map.of("qty", 1, "owner_id", 2L));
        }
    }
}
