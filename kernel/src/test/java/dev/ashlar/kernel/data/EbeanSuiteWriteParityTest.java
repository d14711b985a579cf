package dev.ashlar.kernel.data;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.resource.Converter;
import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.DatabaseException;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.error.NotFoundException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.error.StaleRecordException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.StoredEnum;
import dev.ashlar.api.resource.Type;
import dev.ashlar.kernel.data.EbeanShop.CustomerStatus;
import dev.ashlar.kernel.data.EbeanShop.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.ashlar.api.query.Filter.contains;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.lt;
import static dev.ashlar.api.query.Filter.not;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's persistence tests ({@code org.tests.update}, {@code org.tests.batchinsert}, {@code org.tests.softdelete},
 * {@code org.tests.model.version}, {@code org.tests.json}, {@code org.tests.array}, {@code org.tests.transaction})
 * restated on Ashlar's writes, on the rows of Ebean's {@code ResetBasicData} ({@link EbeanShop}).
 */
class EbeanSuiteWriteParityTest extends DomainDatabaseTest {

    EbeanSuiteWriteParityTest() {
        super(EbeanShop.DOMAIN);
    }

    @BeforeEach
    void reset() {
        EbeanShop.reset(db);
    }

    private Object stored(String sql) {
        return db.value(sql);
    }

    /** {@code TestUpdateQuery.update_set_where}: {@code update(Customer.class).set(...).where()...update()}. */
    @Test
    void anUpdateByQueryChangesTheMatchingRowsAndReturnsTheirCount() {
        int changed = ashlar.read("customer").where(eq("status", CustomerStatus.ACTIVE))
                .updateCount(Map.of("status", CustomerStatus.INACTIVE, "smallnote", "closed"));

        assertThat(changed).isEqualTo(2);
        assertThat(stored("SELECT string_agg(name, ',' ORDER BY id) FROM o_customer WHERE status = 'I'"))
                .isEqualTo("Rob,Fiona,NocCust");
        assertThat(stored("SELECT count(*)::int FROM o_customer WHERE smallnote = 'closed'")).isEqualTo(2);
    }

    /** {@code TestDeleteByQuery}: {@code where().lt(...).delete()} deletes the matching rows, and only them. */
    @Test
    void aDeleteByQueryDeletesTheMatchingRowsOnly() {
        int deleted = ashlar.read("order_detail").where(lt("unit_price", new java.math.BigDecimal("5.00")))
                .destroyAll();

        assertThat(deleted).isEqualTo(3);
        assertThat(stored("SELECT count(*)::int FROM o_order_detail")).isEqualTo(4);
        assertThat(stored("SELECT min(unit_price) FROM o_order_detail")).isEqualTo(new java.math.BigDecimal("9.99"));
    }

    /** {@code TestUpdateQuery} with an expression: {@code set("order_qty = order_qty + 1")}, no lost update. */
    @Test
    void anUpdateByQueryComputesFromTheStoredValue() {
        ashlar.read("order_detail").where(eq("order_id", 1)).updateCount(Map.of("order_qty", Atomic.add(1)));

        assertThat(stored("SELECT string_agg(order_qty::text, ',' ORDER BY id) FROM o_order_detail WHERE order_id = 1"))
                .isEqualTo("6,4,2");
    }

    /**
     * {@code TestBatchInsertFlush}, {@code TestBatchInsertSimple}: {@code saveAll} of many beans assigns each its key
     * in input order; with a batch size ({@code setBatchSize}) the rows go in batches, all stored.
     */
    @Test
    void saveAllInsertsEveryRecordInOrderWithItsGeneratedKey() {
        List<Map<String, Object>> products = IntStream.range(0, 250)
                .mapToObj(i -> Map.<String, Object>of("sku", "B" + i, "name", "batch " + i)).toList();

        List<Row> rows = ashlar.createAll("product", products);
        BulkResult batched = ashlar.createAll("product", IntStream.range(0, 25)
                .mapToObj(i -> Map.<String, Object>of("sku", "S" + i)).toList(), Bulk.collectErrors().batchSize(10));

        assertThat(rows).extracting(r -> r.getString("sku")).startsWith("B0", "B1", "B2").endsWith("B249");
        assertThat(rows).extracting(r -> r.getInteger("id")).isSorted().doesNotHaveDuplicates();
        assertThat(batched.rows()).hasSize(25);
        assertThat(batched.errors()).isEmpty();
        assertThat(stored("SELECT count(*)::int FROM o_product")).isEqualTo(279);
    }

    /** {@code TestBatchInsertWithError}: a duplicate in a batch is reported by its index, the others stored. */
    @Test
    void aBatchWithADuplicateKeyStoresTheOthersAndReportsItByIndex() {
        BulkResult result = ashlar.createAll("product", List.of(Map.of("sku", "N1"), Map.of("sku", "C001"),
                Map.of("sku", "N2")), Bulk.collectErrors());

        assertThat(result.rows()).extracting(r -> r.getString("sku")).containsExactly("N1", "N2");
        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(1);
            assertThat(f.error().errors()).extracting(e -> e.field()).containsExactly("sku");
        });
        assertThatThrownBy(() -> ashlar.createAll("product", List.of(Map.of("sku", "N3"), Map.of("sku", "DSK1"))))
                .isInstanceOf(InvalidDataException.class);
        assertThat(stored("SELECT count(*)::int FROM o_product WHERE sku = 'N3'")).isEqualTo(0);
    }

    /**
     * {@code TestSoftDeleteBasic}: a delete marks the row, which finds, counts and fetches then leave out;
     * {@code setIncludeSoftDeletes()} reads it; {@code deletePermanent} removes it.
     */
    @Test
    void aSoftDeleteHidesTheRowUntilIncludedAndAPermanentDeleteRemovesIt() {
        Row jim = ashlar.read("contact").where(eq("first_name", "Jim")).first().orElseThrow();

        ashlar.destroy(jim);

        assertThat(stored("SELECT deleted FROM contact WHERE first_name = 'Jim'")).isEqualTo(true);
        assertThat(ashlar.read("contact").count()).isEqualTo(2);
        assertThat(ashlar.find("contact", jim.get("id"))).isEmpty();
        assertThat(ashlar.read("customer").where(eq("id", 1)).load("contacts").first().orElseThrow()
                .related("contacts")).extracting(r -> r.getString("first_name")).containsExactly("Fred");
        assertThat(ashlar.read("contact").ignoreBaseFilter().where(eq("deleted", true)).values("first_name",
                String.class)).containsExactly("Jim");

        assertThat(ashlar.permanently().read("contact").ignoreBaseFilter().where(eq("deleted", true)).destroyAll())
                .isEqualTo(1);
        assertThat(stored("SELECT count(*)::int FROM contact")).isEqualTo(2);
    }

    /** {@code TestSoftDeleteBasic.deleteById_softDelete}: a soft delete by query marks only the rows not marked. */
    @Test
    void aSoftDeleteByQueryCountsTheRowsItMarked() {
        assertThat(ashlar.read("contact").where(eq("customer_id", 1)).destroyAll()).isEqualTo(2);
        assertThat(ashlar.read("contact").ignoreBaseFilter().where(eq("customer_id", 1)).destroyAll()).isZero();
        assertThat(stored("SELECT count(*)::int FROM contact WHERE deleted")).isEqualTo(2);
    }

    /** {@code TestWhenCreatedWhenModified}: insert sets both; an update moves {@code whenModified} only. */
    @Test
    void whenCreatedStaysAndWhenModifiedMovesOnUpdate() throws InterruptedException {
        Row created = ashlar.create("customer", Map.of("name", "Timed"));
        Instant insertedAt = created.getInstant("inserted_at");
        Thread.sleep(5);

        Row updated = ashlar.update(created, Map.of("smallnote", "changed"));

        assertThat(created.getInstant("updated_at")).isEqualTo(insertedAt);
        assertThat(updated.getInstant("inserted_at")).isEqualTo(insertedAt);
        assertThat(updated.getInstant("updated_at")).isAfter(insertedAt);
    }

    /** {@code TestWhoCreatedWhoModified} ({@code CurrentUserProvider}): the creator kept, the last writer moved. */
    @Test
    void whoCreatedIsTheInserterAndWhoModifiedTheLastWriter() {
        Row created = ashlar.withUser("ada").create("customer", Map.of("name", "Authored"));

        Row updated = ashlar.withUser("bob").update(created, Map.of("smallnote", "edited"));

        assertThat(created.getString("created_by") + "/" + created.getString("modified_by")).isEqualTo("ada/ada");
        assertThat(updated.getString("created_by") + "/" + updated.getString("modified_by")).isEqualTo("ada/bob");
        assertThat(stored("SELECT modified_by FROM o_customer WHERE name = 'Authored'")).isEqualTo("bob");
    }

    /**
     * {@code TestOptimisticLockSimple}, {@code TestVersionUpdate}: an update counts {@code @Version} up; a second
     * update, or a delete, from the stale copy fails and changes nothing.
     */
    @Test
    void aStaleVersionRefusesTheUpdateAndTheDelete() {
        Row copy = ashlar.get("customer", 3);
        Row other = ashlar.get("customer", 3);

        Row saved = ashlar.update(copy, Map.of("smallnote", "first"));

        assertThat(saved.getInteger("version")).isEqualTo(2);
        assertThatThrownBy(() -> ashlar.update(other, Map.of("smallnote", "second")))
                .isInstanceOf(StaleRecordException.class);
        assertThatThrownBy(() -> ashlar.destroy(other)).isInstanceOf(StaleRecordException.class);
        assertThat(stored("SELECT smallnote || ':' || version FROM o_customer WHERE id = 3")).isEqualTo("first:2");
        ashlar.destroy(saved);
        assertThatThrownBy(() -> ashlar.get("customer", 3)).isInstanceOf(NotFoundException.class);
    }

    /** {@code TestDbJson_Map}, {@code TestJsonExpressions}: a map stored as {@code jsonb} and found by a path. */
    @Test
    void jsonIsStoredAsJsonbAndQueriedByPath() {
        ashlar.create("document", Map.of("content", Map.of("name", "rob", "size", 12, "tags", List.of("a", "b"))));
        ashlar.create("document", Map.of("content", Map.of("name", "fiona", "size", 3)));

        assertThat(ashlar.read("document").where(eq("content.name", "rob")).count()).isOne();
        assertThat(ashlar.read("document").where(lt("content.size", 10)).count()).isOne();
        assertThat(ashlar.read("document").where(contains("content.tags", "b")).count()).isOne();
        assertThat(stored("SELECT data_type FROM information_schema.columns WHERE table_name = 'e_document' "
                + "AND column_name = 'content'")).isEqualTo("jsonb");
        assertThat(stored("SELECT content ->> 'name' FROM e_document ORDER BY id LIMIT 1")).isEqualTo("rob");
    }

    /** {@code TestDbArray_basic}: {@code arrayContains}, {@code arrayNotContains}, {@code arrayIsEmpty}. */
    @Test
    void arraysAreStoredAsArraysAndFilteredByElement() {
        ashlar.create("document", Map.of("tags", List.of("red", "green"), "codes", List.of(1, 2, 3)));
        ashlar.create("document", Map.of("tags", List.of(), "codes", List.of(7)));

        assertThat(ashlar.read("document").where(contains("tags", "green")).values("id", Integer.class))
                .containsExactly(1);
        assertThat(ashlar.read("document").where(not(contains("codes", 2))).values("id", Integer.class))
                .containsExactly(2);
        assertThat(ashlar.read("document").where(eq("tags", List.of())).values("id", Integer.class))
                .containsExactly(2);
        assertThat(ashlar.get("document", 1).getList("codes", Integer.class)).containsExactly(1, 2, 3);
        assertThat(stored("SELECT udt_name FROM information_schema.columns WHERE table_name = 'e_document' "
                + "AND column_name = 'codes'")).isEqualTo("_int4");
    }

    /**
     * {@code TestDbEnumValue}, {@code TestEnumValueAnnotation} ({@code Customer.Status} with {@code @EnumValue("A")}):
     * an enum stored by codes of its own is written, filtered, sorted and read back by its constants.
     */
    @Test
    void anEnumStoredByItsOwnCodesIsWrittenFilteredAndReadAsItsConstants() {
        Row created = ashlar.create("customer", Map.of("name", "Coded", "status", CustomerStatus.INACTIVE));
        Row byDefault = ashlar.create("customer", Map.of("name", "Defaulted"));

        assertThat(created.getEnum("status", CustomerStatus.class)).isEqualTo(CustomerStatus.INACTIVE);
        assertThat(byDefault.getEnum("status", CustomerStatus.class)).isEqualTo(CustomerStatus.NEW);
        assertThat(stored("SELECT string_agg(status, ',' ORDER BY id) FROM o_customer WHERE id > 4")).isEqualTo("I,N");
        assertThat(stored("SELECT column_default FROM information_schema.columns WHERE table_name = 'o_customer' "
                + "AND column_name = 'status'")).asString().startsWith("'N'");
        assertThat(ashlar.read("customer").where(in("status", List.of(CustomerStatus.INACTIVE, CustomerStatus.NEW)))
                .sort(Sort.asc("id")).values("name", String.class))
                .containsExactly("Cust NoAddress", "NocCust", "Coded", "Defaulted");
        assertThat(ashlar.sql("SELECT count(*) FROM o_customer WHERE status = ANY(?)",
                List.of(CustomerStatus.ACTIVE)).value(Long.class)).isEqualTo(2L);
        assertThatThrownBy(() -> ashlar.create("customer", Map.of("name", "Named", "status", "ACTIVE")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("status")
                .hasMessageContaining("[N, A, I]");
    }

    /** A code no constant stores (written by plain SQL) is refused on read, listing the codes the constants store. */
    @Test
    void aStoredCodeNoConstantStoresIsRefusedOnReadListingTheCodes() {
        Object id = stored("INSERT INTO o_customer (name, status) VALUES ('Legacy', 'Z') RETURNING id");
        Row row = ashlar.get("customer", id);

        assertThatThrownBy(() -> row.getEnum("status", CustomerStatus.class)).isInstanceOf(QueryException.class)
                .hasMessageContaining("holds 'Z', which is no constant of CustomerStatus [N, A, I]");
    }

    enum Clash implements StoredEnum {
        ONE, TWO;

        @Override
        public String storedValue() {
            return "x";
        }
    }

    /** An enum whose constants store one code twice is refused when its type is built, naming both constants. */
    @Test
    void anEnumStoringOneCodeTwiceIsRefusedNamingBothConstants() {
        assertThatThrownBy(() -> Type.enumOf(Clash.class)).isInstanceOf(DefinitionException.class)
                .hasMessageContaining("Clash.TWO stores 'x', as Clash.ONE does");
    }

    /**
     * {@code TestIndexAnnotation} ({@code @Index(unique = true)}) and {@code @Identity}: the unique index and the
     * identity key as the catalog holds them; a taken value is a field error naming the field.
     */
    @Test
    void theUniqueIndexAndTheIdentityKeyAreInTheCatalog() {
        assertThat(stored("SELECT indexdef FROM pg_indexes WHERE tablename = 'o_product' AND indexdef LIKE '%UNIQUE%' "
                + "AND indexdef LIKE '%(sku)%'")).asString().contains("UNIQUE INDEX");
        assertThat(stored("SELECT is_identity FROM information_schema.columns WHERE table_name = 'o_product' "
                + "AND column_name = 'id'")).isEqualTo("YES");
        assertThatThrownBy(() -> ashlar.create("product", Map.of("sku", "C001")))
                .isInstanceOfSatisfying(InvalidDataException.class,
                        e -> assertThat(e.errors()).extracting(f -> f.field()).containsExactly("sku"));
    }

    /** {@code TestTransactionBegin}: work in {@code beginTransaction}/{@code commit} is kept, a failure keeps none. */
    @Test
    void aTransactionKeepsAllOrNothing() {
        ashlar.transaction(tx -> tx.create("product", Map.of("sku", "T1")));
        assertThatThrownBy(() -> ashlar.transaction(tx -> {
            tx.create("product", Map.of("sku", "T2"));
            return tx.create("product", Map.of("sku", "C001"));
        })).isInstanceOf(InvalidDataException.class);

        assertThat(stored("SELECT string_agg(sku, ',') FROM o_product WHERE sku LIKE 'T%'")).isEqualTo("T1");
    }

    /** {@code TestNestedTransaction}, {@code TestSavepoint}: an inner failure rolls back to its savepoint alone. */
    @Test
    void aNestedTransactionRollsBackToItsSavepointAndTheOuterCommits() {
        ashlar.transaction(tx -> {
            tx.create("product", Map.of("sku", "OUT"));
            assertThatThrownBy(() -> tx.transaction(inner -> {
                inner.create("product", Map.of("sku", "IN"));
                return inner.create("product", Map.of("sku", "DSK1"));
            })).isInstanceOf(InvalidDataException.class);
            return tx.create("product", Map.of("sku", "AFTER"));
        });

        assertThat(stored("SELECT string_agg(sku, ',' ORDER BY id) FROM o_product WHERE id > 4"))
                .isEqualTo("OUT,AFTER");
    }

    /** {@code TestTransactionRollbackOnly}: {@code setRollbackOnly()} keeps nothing though the body returns. */
    @Test
    void rollbackOnlyKeepsNothingAndStillReturnsTheResult() {
        Row made = ashlar.transaction(tx -> {
            tx.setRollbackOnly();
            return tx.create("product", Map.of("sku", "GONE"));
        });

        assertThat(made.getString("sku")).isEqualTo("GONE");
        assertThat(stored("SELECT count(*)::int FROM o_product WHERE sku = 'GONE'")).isEqualTo(0);
    }

    /**
     * {@code TestTransactionIsolation}, {@code TestReadOnlyTransaction}: the level is set; a read-only transaction
     * refuses writes.
     */
    @Test
    void aTransactionRunsAtItsIsolationAndAReadOnlyOneRefusesWrites() {
        Object level = ashlar.transaction(Isolation.SERIALIZABLE,
                tx -> tx.sql("SHOW transaction_isolation").value(String.class));

        assertThat(level).isEqualTo("serializable");
        assertThatThrownBy(() -> ashlar.transaction(TransactionOptions.defaults().readOnly(),
                tx -> tx.update(tx.get("customer", 1), Map.of("smallnote", "no"))))
                .isInstanceOfSatisfying(DatabaseException.class,
                        e -> assertThat(e.sqlState()).contains("25006"));
        assertThat(stored("SELECT smallnote FROM o_customer WHERE id = 1")).isEqualTo("interesting note");
    }

    /** {@code TestInsertBatchThenUpdate}: records in hand updated each with its own values in one call. */
    @Test
    void recordsEachWithTheirOwnValuesAreUpdatedTogether() {
        List<Row> rows = ashlar.updateAll("order", List.of(Map.of("id", 1, "status", OrderStatus.APPROVED),
                Map.of("id", 2, "status", OrderStatus.SHIPPED)));

        assertThat(rows).extracting(r -> r.getString("status")).containsExactly("APPROVED", "SHIPPED");
        assertThat(stored("SELECT string_agg(status, ',' ORDER BY id) FROM o_order")).isEqualTo(
                "APPROVED,SHIPPED,SHIPPED,COMPLETE");
    }

    /** A resource whose {@code Domain} names the stored-code enum in a native type takes the codes as its labels. */
    @Test
    void aNativeEnumOfAStoredCodeEnumTakesTheCodesAsLabels() {
        Domain domain = Domain.builder("labels").resource(Resource.builder("flagged").table("flagged")
                .integerPrimaryKey("id").attribute("status", Type.pgEnum("cust_status", CustomerStatus.class))
                .build()).build();

        assertThat(((Type.Enumerated) domain.resources().get(0).attribute("status").orElseThrow().type()).values())
                .containsExactly("N", "A", "I");
    }

    enum Level {
        BRONZE(10), SILVER(20), GOLD(30);

        final int code;

        Level(int code) {
            this.code = code;
        }
    }

    /**
     * {@code @DbEnumValue(storage = DbEnumType.INTEGER)} (the integer storage beside the text of {@code TestDbEnumValue}):
     * an enum stored by integer codes of its own is written as its code (defaults too), filtered and sorted by it, read
     * back by its constant, and a code no constant has is refused naming the field and the codes.
     */
    @Test
    void anEnumStoredByIntegerCodesIsWrittenFilteredAndReadByItsCodes() {
        Resource member = Resource.builder("coded_member").table("coded_members").bigintPrimaryKey("id")
                .attribute("level", Converter.codes(Level.class, level -> level.code),
                        a -> a.notNull().defaultValue(Level.SILVER))
                .build();
        try (Ashlar own = Fixtures.ashlar(db, Domain.builder("ebean_codes").resource(member).build())) {
            own.create("coded_member", Map.of("level", Level.GOLD));
            own.create("coded_member", Map.of());
            own.createAll("coded_member", List.of(Map.of("level", Level.BRONZE)));

            assertThat(db.value("SELECT column_default FROM information_schema.columns WHERE table_name = "
                    + "'coded_members' AND column_name = 'level'")).isEqualTo("20");
            assertThat(db.query("SELECT level FROM coded_members ORDER BY id")).extracting(r -> r.get("level"))
                    .containsExactly(30, 20, 10);
            assertThat(own.read("coded_member").where(Filter.in("level", List.of(Level.GOLD, Level.SILVER)))
                    .sort(Sort.asc("level")).values("level", Level.class)).containsExactly(Level.SILVER, Level.GOLD);
            db.execute("UPDATE coded_members SET level = 25 WHERE id = 1");
            assertThatThrownBy(() -> own.get("coded_member", 1L)).isInstanceOf(QueryException.class)
                    .hasMessageContaining("coded_member.level holds 25").hasMessageContaining("[10, 20, 30]");
        }
    }
}
