package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.data.EbeanShop.CustomerStatus;
import dev.ashlar.kernel.data.EbeanShop.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.between;
import static dev.ashlar.api.query.Filter.containsIgnoreCase;
import static dev.ashlar.api.query.Filter.eq;
import static dev.ashlar.api.query.Filter.eqIgnoreCase;
import static dev.ashlar.api.query.Filter.exists;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;
import static dev.ashlar.api.query.Filter.isNil;
import static dev.ashlar.api.query.Filter.like;
import static dev.ashlar.api.query.Filter.not;
import static dev.ashlar.api.query.Filter.notIn;
import static dev.ashlar.api.query.Filter.notNil;
import static dev.ashlar.api.query.Filter.or;
import static dev.ashlar.api.query.Filter.startsWith;
import static dev.ashlar.api.query.Filter.startsWithIgnoreCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's query tests ({@code ebean-test/src/test/java/org/tests/query}) restated on Ashlar's read API, on the rows of
 * Ebean's {@code ResetBasicData} ({@link EbeanShop}).
 */
class EbeanSuiteQueryParityTest extends DomainDatabaseTest {

    record CustomerDto(Integer id, String name, CustomerStatus status) {
    }

    EbeanSuiteQueryParityTest() {
        super(EbeanShop.DOMAIN);
    }

    @BeforeEach
    void reset() {
        EbeanShop.reset(db);
    }

    private List<String> names(dev.ashlar.api.query.Filter filter) {
        return ashlar.read("customer").where(filter).sort(Sort.asc("id")).values("name", String.class);
    }

    /**
     * {@code TestQueryFilterCaseInsensitive}, {@code TestIContains}: {@code ieq}, {@code icontains},
     * {@code istartsWith}.
     */
    @Test
    void caseInsensitiveEqualsContainsAndStartsWithMatchWhateverTheCase() {
        assertThat(names(eqIgnoreCase("name", "rob"))).containsExactly("Rob");
        assertThat(names(eqIgnoreCase("name", "ro"))).isEmpty();
        assertThat(names(containsIgnoreCase("name", "NOADD"))).containsExactly("Cust NoAddress");
        assertThat(names(startsWithIgnoreCase("name", "f"))).containsExactly("Fiona");
    }

    /** {@code TestWhereIn}, {@code TestQueryFilterMany}'s simple predicates: like, startsWith, between, in, not in. */
    @Test
    void likeStartsWithBetweenInAndNotInSelectTheSeededRows() {
        assertThat(names(like("name", "%o%"))).containsExactly("Rob", "Cust NoAddress", "Fiona", "NocCust");
        assertThat(names(startsWith("name", "N"))).containsExactly("NocCust");
        assertThat(names(between("anniversary", LocalDate.of(2010, 1, 1), LocalDate.of(2011, 12, 31))))
                .containsExactly("Rob", "NocCust");
        assertThat(names(in("id", List.of(1, 3, 99)))).containsExactly("Rob", "Fiona");
        assertThat(names(notIn("id", List.of(1, 3)))).containsExactly("Cust NoAddress", "NocCust");
        assertThat(names(in("id", List.of()))).isEmpty();
    }

    /** {@code TestWhereIn}: an id list longer than any bind limit per value is still one bound array. */
    @Test
    void inWithTenThousandIdsFindsTheFewThatExist() {
        List<Integer> ids = new ArrayList<>(IntStream.rangeClosed(1000, 11_000).boxed().toList());
        ids.add(2);

        assertThat(names(in("id", ids))).containsExactly("Cust NoAddress");
    }

    /** {@code TestQueryIsNull}: {@code isNull} on a column, and on a one-to-many (Ebean's not-exists subquery). */
    @Test
    void isNullOnAColumnAndNoRelatedRowsOnAOneToMany() {
        assertThat(names(isNil("smallnote"))).containsExactly("Cust NoAddress", "NocCust");
        assertThat(names(notNil("smallnote"))).containsExactly("Rob", "Fiona");
        assertThat(names(not(exists("orders")))).containsExactly("NocCust");
        assertThat(names(exists("orders"))).containsExactly("Rob", "Cust NoAddress", "Fiona");
    }

    /** {@code TestQueryExists}: {@code exists()} of a query, true and false. */
    @Test
    void existsOfAReadSaysWhetherAnyRowMatches() {
        assertThat(ashlar.read("customer").where(eq("name", "Rob")).exists()).isTrue();
        assertThat(ashlar.read("customer").where(eq("name", "Nobody")).exists()).isFalse();
    }

    /** {@code TestOrderByWithFunction}, Ebean's {@code asc("x nulls first")}: nulls placed either way. */
    @Test
    void orderByPutsNullsFirstOrLastAsAsked() {
        assertThat(ashlar.read("customer").sort(Sort.asc("anniversary").nullsFirst()).values("name", String.class))
                .containsExactly("Cust NoAddress", "Rob", "NocCust", "Fiona");
        assertThat(ashlar.read("customer").sort(Sort.desc("anniversary").nullsLast()).values("name", String.class))
                .containsExactly("Fiona", "NocCust", "Rob", "Cust NoAddress");
    }

    /** {@code TestQueryPaging}, {@code TestLimitQuery}: {@code setFirstRow}/{@code setMaxRows} page by a sort. */
    @Test
    void firstRowAndMaxRowsPageTheSortedRows() {
        assertThat(ashlar.read("customer").sort(Sort.asc("name")).offset(1).limit(2).values("name", String.class))
                .containsExactly("Fiona", "NocCust");
        assertThat(ashlar.read("customer").sort(Sort.asc("name")).offset(4).limit(2).list()).isEmpty();
    }

    /**
     * {@code TestQueryFindPagedList.test_maxRows_countInBackground_withLoadRowCount}: a page's total counts every row,
     * {@code hasNext} is true until the last page; and {@code test_noMaxRows}: a paged list needs a page size.
     */
    @Test
    void aPagedListCountsTheTotalAndSaysWhetherAnotherPageFollows() {
        Page<Row> first = ashlar.read("order").sort(Sort.asc("id")).limit(3).page();
        Page<Row> second = ashlar.read("order").sort(Sort.asc("id")).offset(1).limit(3).page();
        Page<Row> rest = ashlar.read("order").sort(Sort.asc("id")).offset(2).limit(150).page();
        Page<Row> whole = ashlar.read("order").sort(Sort.asc("id")).limit(4).page();

        assertThat(first.rows()).hasSize(3);
        assertThat(first.total()).isEqualTo(4);
        assertThat(first.hasNext()).isTrue();
        assertThat(second.hasNext()).isFalse();
        assertThat(rest.rows()).extracting(r -> r.getInteger("id")).containsExactly(3, 4);
        assertThat(rest.hasNext()).isFalse();
        assertThat(whole.hasNext()).isFalse();
        assertThatThrownBy(() -> ashlar.read("order").page()).isInstanceOf(QueryException.class)
                .hasMessageContaining("order");
    }

    /**
     * {@code TestRowCount}: {@code findCount} through a one-to-many counts each customer once (Rob has two matching
     * orders).
     */
    @Test
    void findCountThroughAOneToManyCountsEachRootOnce() {
        assertThat(ashlar.read("customer").count()).isEqualTo(4);
        assertThat(ashlar.read("customer").where(eq("orders.details.product.sku", "C001")).count()).isEqualTo(2);
        assertThat(names(eq("orders.details.product.sku", "C001"))).containsExactly("Rob", "Cust NoAddress");
    }

    /** {@code TestFindIds}, {@code TestQueryFindIterate}'s ids: {@code findIds} in the query's order. */
    @Test
    void findIdsReadsTheKeysOfTheMatchingRows() {
        assertThat(ashlar.read("order").where(eq("customer_id", 1)).sort(Sort.desc("id")).values("id", Integer.class))
                .containsExactly(2, 1);
    }

    /**
     * {@code TestQuerySingleAttribute}: {@code findSingleAttributeList} of an enum column as its constants, distinct
     * (as stored, sorted), and of a date column under a filter.
     */
    @Test
    void findSingleAttributeListReadsOneColumnDistinctOrNot() {
        assertThat(ashlar.read("customer").sort(Sort.asc("id")).values("status", CustomerStatus.class))
                .containsExactly(CustomerStatus.ACTIVE, CustomerStatus.NEW, CustomerStatus.ACTIVE,
                        CustomerStatus.INACTIVE);
        assertThat(ashlar.read("customer").distinct("status").sort(Sort.asc("status")).values("status", String.class))
                .containsExactly("A", "I", "N");
        assertThat(ashlar.read("order").where(eq("status", OrderStatus.SHIPPED)).values("ship_date", LocalDate.class))
                .containsExactly(LocalDate.of(2024, 2, 3));
    }

    /** {@code TestFindOneOrEmpty}, {@code TestFindOneOrThrow}: none, one, or a refusal when two match. */
    @Test
    void findOneOrEmptyIsEmptyForNoneAndRefusesTwo() {
        assertThat(ashlar.find("customer", Integer.MAX_VALUE)).isEmpty();
        assertThat(ashlar.read("customer").where(eq("id", 1)).one()).map(r -> r.getString("name")).contains("Rob");
        assertThatThrownBy(() -> ashlar.read("customer").where(eq("status", CustomerStatus.ACTIVE)).one())
                .isInstanceOf(QueryException.class).hasMessageContaining("customer");
    }

    /** {@code TestQueryFindMapTypedKey}: {@code findMap} is the list collected by a key; the rows carry it. */
    @Test
    void rowsCollectIntoAMapByTheirKey() {
        var byName = ashlar.read("customer").list().stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.getString("name"), r -> r.getInteger("id")));

        assertThat(byName).containsEntry("Fiona", 3).containsEntry("NocCust", 4).hasSize(4);
    }

    /** {@code TestQueryFilterMany}, {@code TestPartialObjects}: {@code select("name")} leaves the other fields out. */
    @Test
    void aPartialSelectReadsTheNamedFieldsAndTheKeyOnly() {
        Row rob = ashlar.read("customer").select("name").where(eq("id", 1)).first().orElseThrow();

        assertThat(rob.getString("name")).isEqualTo("Rob");
        assertThat(rob.getInteger("id")).isEqualTo(1);
        assertThat(rob.has("smallnote")).isFalse();
    }

    /**
     * {@code TestQueryFetchManyTwoDeep}, {@code TestQueryJoinBatchSize}: {@code fetch("orders.details")} loads each
     * customer's orders and their lines, matched to their parents.
     */
    @Test
    void fetchLoadsOrdersAndTheirLinesTwoLevelsDeep() {
        List<Row> customers = ashlar.read("customer").sort(Sort.asc("id")).load("orders.details").load("contacts")
                .list();

        Row rob = customers.get(0);
        assertThat(rob.related("orders")).extracting(o -> o.getInteger("id")).containsExactlyInAnyOrder(1, 2);
        assertThat(rob.related("orders").stream().mapToInt(o -> o.related("details").size()).sum()).isEqualTo(4);
        assertThat(rob.related("contacts")).hasSize(2);
        assertThat(customers.get(3).related("orders")).isEmpty();
    }

    /** {@code TestQueryFetchJoinWithOrder}, {@code TestQueryPathJoinAndOrder}: order by a to-one's property. */
    @Test
    void ordersSortByTheirCustomersNameThenKey() {
        assertThat(ashlar.read("order").load("customer").sort(Sort.asc("customer.name"), Sort.asc("id"))
                .values("id", Integer.class)).containsExactly(4, 3, 1, 2);
    }

    /** {@code TestSubQuery}: customers whose orders hold a given status ({@code in} a subquery, as {@code exists}). */
    @Test
    void customersWithAnOrderOfAStatusAreFoundByASubquery() {
        assertThat(names(exists("orders", in("status", List.of(OrderStatus.SHIPPED, OrderStatus.COMPLETE)))))
                .containsExactly("Cust NoAddress", "Fiona");
        assertThat(names(and(exists("orders", gt("order_date", LocalDate.of(2024, 1, 10))),
                not(exists("orders", eq("status", OrderStatus.NEW)))))).containsExactly("Cust NoAddress", "Fiona");
    }

    /** {@code TestQueryAsDto}, {@code asDto(CustomerDto.class)}: rows onto a record of some fields, enum included. */
    @Test
    void asDtoMapsRowsOntoARecord() {
        assertThat(ashlar.read("customer").where(eq("status", CustomerStatus.ACTIVE)).sort(Sort.asc("id"))
                .list(CustomerDto.class)).containsExactly(new CustomerDto(1, "Rob", CustomerStatus.ACTIVE),
                new CustomerDto(3, "Fiona", CustomerStatus.ACTIVE));
    }

    /** {@code TestQueryFindEach}, {@code TestQueryFindStream}: every row handed over once, in order. */
    @Test
    void findEachAndStreamHandOverEveryRow() {
        List<Integer> seen = new ArrayList<>();
        long count = ashlar.read("order_detail").sort(Sort.asc("id")).fetchSize(2)
                .forEach(r -> seen.add(r.getInteger("id")));

        assertThat(count).isEqualTo(7);
        assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7);
        try (var stream = ashlar.read("order_detail").where(eq("product_id", 1)).stream()) {
            assertThat(stream.count()).isEqualTo(3);
        }
    }

    /** {@code TestAggregationCount}: count and sum grouped by a foreign key. */
    @Test
    void linesGroupedByOrderCountAndSumTheirQuantities() {
        List<Row> groups = ashlar.read("order_detail").groupBy("order_id").count("lines").sum("order_qty", "qty")
                .sort(Sort.asc("order_id")).list();

        assertThat(groups).extracting(r -> r.get("order_id") + ":" + r.get("lines") + ":" + r.get("qty"))
                .containsExactly("1:3:9", "2:1:1", "3:1:2", "4:2:2");
    }

    /** {@code TestDisjunctWhereOuterJoin}: an {@code or} of a path and a column keeps rows without related ones. */
    @Test
    void aDisjunctionOfAPathAndAColumnKeepsCustomersWithoutOrders() {
        assertThat(names(or(eq("orders.status", OrderStatus.SHIPPED), eq("status", CustomerStatus.INACTIVE))))
                .containsExactly("Fiona", "NocCust");
    }
}
