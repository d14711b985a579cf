package dev.ashlar.kernel.data;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.typed.Table;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.Read;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.ashlar.api.query.Filter.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ebean's {@code findFutureList}, {@code findFutureCount} and {@code findFutureIds} ({@code org.tests.query
 * .TestQueryFuture*}) restated as {@code listAsync}, {@code countAsync} and {@code async(...)}: run on an executor, in
 * the tenant of the handle the read began from, never inside the caller's transaction.
 */
class EbeanFutureQueryParityTest extends DomainDatabaseTest {
    private static final Domain DOMAIN = Domain.builder("ebean_futures")
            .resource(Resource.builder("f_customer").table("f_customer").integerPrimaryKey("id")
                    .attribute("tenant_id", Type.TEXT).attribute("name", Type.TEXT).build())
            .build();

    record Customer(Integer id, String tenantId, String name) {
        static final Table<Customer> CUSTOMERS = Table.of("f_customer", Customer.class);
    }

    EbeanFutureQueryParityTest() {
        super(DOMAIN, OneResourceTenancy.column("f_customer", "tenant_id", false));
    }

    @BeforeEach
    void populated() {
        db.execute("TRUNCATE f_customer RESTART IDENTITY");
        db.execute("INSERT INTO f_customer (tenant_id, name) SELECT CASE WHEN i % 2 = 0 THEN 'ten_1' ELSE 'ten_2' END, "
                + "'customer ' || i FROM generate_series(1, 10) i");
    }

    @Test
    void futureListCountAndIdsRunOnTheExecutorInTheTenantTheReadBeganFrom() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "future-reads"));
        try {
            Read ten1 = ashlar.withTenant("ten_1").read("f_customer").sort(Sort.asc("id"));
            List<String> threads = new ArrayList<>();
            CompletableFuture<List<Row>> list = ten1.async(r -> {
                threads.add(Thread.currentThread().getName());
                return r.list();
            }, executor);
            CompletableFuture<Long> count = ashlar.withTenant("ten_2").read("f_customer").countAsync(executor);
            CompletableFuture<List<Integer>> ids = ten1.async(r -> r.values("id", Integer.class), executor);

            assertThat(list.get(10, TimeUnit.SECONDS)).extracting(r -> r.get("tenant_id")).containsOnly("ten_1")
                    .hasSize(5);
            assertThat(threads).containsExactly("future-reads");
            assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(ids.get(10, TimeUnit.SECONDS)).containsExactly(2, 4, 6, 8, 10);
            assertThat(ashlar.withTenant("ten_2").read("f_customer").where(eq("name", "customer 2")).listAsync()
                    .get(10, TimeUnit.SECONDS)).as("the other tenant's row, tried from ten_2").isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    private static String outcome(Supplier<Object> read) {
        try {
            return String.valueOf(read.get());
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    void anExecutorThreadKeepsNoTenantTimeoutOrUserOfAReadItRanForTheTasksAfterIt() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            String untenanted = outcome(() -> ashlar.read("f_customer").count());
            assertThat(ashlar.withTenant("ten_1").withTimeout(Duration.ofMillis(300)).withUser("alice")
                    .read("f_customer").countAsync(executor).get(10, TimeUnit.SECONDS)).isEqualTo(5);

            assertThat(executor.submit(() -> outcome(() -> ashlar.read("f_customer").count()))
                    .get(10, TimeUnit.SECONDS))
                    .as("a read without a tenant, on the thread that ran ten_1's").isEqualTo(untenanted)
                    .isNotEqualTo("5");
            assertThat(executor.submit(() -> outcome(() -> ashlar.sql("SELECT pg_sleep(0.6)").list().size()))
                    .get(10, TimeUnit.SECONDS)).as("the 300 ms timeout of the read before").isEqualTo("1");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void theTypedReadRunsAsyncOnAshlarsOwnThreadsByDefault() throws Exception {
        Ashlar ten2 = ashlar.withTenant("ten_2");
        assertThat(ten2.read(Customer.CUSTOMERS).listAsync().get(10, TimeUnit.SECONDS)).extracting(Customer::tenantId)
                .containsOnly("ten_2").hasSize(5);
        assertThat(ten2.read(Customer.CUSTOMERS).countAsync().get(10, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(ten2.read(Customer.CUSTOMERS).async(r -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS))
                .startsWith("ashlar-async-read-");
        assertThat(ten2.read(Customer.CUSTOMERS).async(r -> Thread.currentThread().isDaemon())
                .get(10, TimeUnit.SECONDS))
                .as("Ashlar's own threads never keep the JVM alive").isTrue();
    }

    @Test
    void aBurstOfAsyncReadsQueuesForAshlarsSixteenThreadsRatherThanStartingAThreadForEach() throws Exception {
        Ashlar ten2 = ashlar.withTenant("ten_2");
        List<CompletableFuture<String>> reads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            reads.add(ten2.read(Customer.CUSTOMERS).async(r -> {
                r.count();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Thread.currentThread().getName();
            }));
        }
        List<String> threads = new ArrayList<>();
        for (CompletableFuture<String> read : reads) {
            threads.add(read.get(30, TimeUnit.SECONDS));
        }
        assertThat(threads).hasSize(40).allMatch(name -> name.startsWith("ashlar-async-read-"));
        assertThat(threads.stream().distinct().count()).as("threads that ran the 40 reads").isBetween(2L, 16L);
    }

    @Test
    void aFailedReadFailsItsFutureWithAshlarsExceptionAndACancelledOneNeverRuns() throws Exception {
        CompletableFuture<List<Row>> failed = ashlar.withTenant("ten_1").read("f_customer")
                .where(eq("no_such_field", 1)).listAsync();
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(QueryException.class)
                .hasMessageContaining("no_such_field");

        List<Runnable> queued = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        CompletableFuture<Long> cancelled = ashlar.withTenant("ten_1").read("f_customer").async(r -> {
            ran.add("read");
            return r.count();
        }, queued::add);
        assertThat(cancelled.cancel(true)).isTrue();
        queued.forEach(Runnable::run);
        assertThat(ran).as("cancelled before the executor started it").isEmpty();
        assertThat(cancelled).isCancelled();

        ExecutorService shut = Executors.newSingleThreadExecutor();
        shut.shutdown();
        assertThatThrownBy(() -> ashlar.withTenant("ten_1").read("f_customer").countAsync(shut))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("an async read of f_customer was refused by its executor")
                .hasMessageContaining("give an executor that is not shut down");
    }

    @Test
    void anAsyncReadInsideATransactionIsRefusedAsItWouldRunOutsideIt() {
        assertThatThrownBy(() -> ashlar.inTransaction(tx -> {
            tx.withTenant("ten_1").create("f_customer", Map.of("name", "uncommitted"));
            tx.withTenant("ten_1").read("f_customer").countAsync();
        })).isInstanceOf(QueryException.class)
                .hasMessageContaining("an async read of f_customer inside a transaction is refused")
                .hasMessageContaining("read synchronously inside it");
        assertThat(ashlar.withTenant("ten_1").read("f_customer").count()).as("rolled back").isEqualTo(5);
    }
}
