package dev.ashlar.benchmarks;

import org.hibernate.StatelessSession;
import org.hibernate.Transaction;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStepN;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.impl.DSL;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hibernate, jOOQ and Jdbi writing many items as their guides advise, in one transaction each:
 * Hibernate inserts entities through a stateless session (JDBC batching on; identity keys make it
 * send one insert per entity); jOOQ sends multi-row inserts of 1,000 rows with {@code RETURNING};
 * Jdbi runs a prepared batch returning the generated keys.
 */
final class PeerWrites {
    private static final int JOOQ_CHUNK = 1_000;
    private static final String JDBI_INSERT = "INSERT INTO " + JdbcWrites.TABLE + " (" + JdbcWrites.COLUMNS + ") "
            + "VALUES (:name, :email, :category, :price, :createdAt, :active, :tags, CAST(:attrs AS jsonb))";

    private PeerWrites() {
    }

    static List<Long> hibernate(Database db, List<Item> items) {
        try (StatelessSession session = db.peers.hibernate.openStatelessSession()) {
            Transaction transaction = session.beginTransaction();
            List<Long> ids = new ArrayList<>(items.size());
            for (Item item : items) {
                Entities.BulkItemEntity entity = new Entities.BulkItemEntity().fill(item);
                session.insert(entity);
                ids.add(entity.id);
            }
            transaction.commit();
            return ids;
        }
    }

    static List<Long> jooq(Database db, List<Item> items, boolean upsert) {
        return db.peers.jooq.transactionResult(configuration -> {
            DSLContext jooq = DSL.using(configuration);
            List<Long> ids = new ArrayList<>(items.size());
            for (int from = 0; from < items.size(); from += JOOQ_CHUNK) {
                InsertValuesStepN<Record> insert = jooq.insertInto(Peers.BULK_ITEMS).columns(Peers.WRITTEN);
                for (Item item : items.subList(from, Math.min(items.size(), from + JOOQ_CHUNK))) {
                    insert = insert.values(item.name(), item.email(), item.category(), item.price(),
                            item.createdAt().atOffset(ZoneOffset.UTC), item.active(),
                            item.tags().toArray(String[]::new), JSONB.valueOf(item.attrs()));
                }
                ids.addAll(upsert ? insert.onConflict(Peers.EMAIL).doUpdate().set(excluded()).returningResult(Peers.ID)
                        .fetch(Peers.ID) : insert.returningResult(Peers.ID).fetch(Peers.ID));
            }
            return ids;
        });
    }

    /** Every written column but the conflict's own, set from {@code EXCLUDED}. */
    private static Map<Field<?>, Field<?>> excluded() {
        Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
        for (Field<?> field : Peers.WRITTEN) {
            if (field != Peers.EMAIL) {
                set.put(field, DSL.excluded(field));
            }
        }
        return set;
    }

    static List<Long> jdbi(Database db, List<Item> items, boolean upsert) {
        return db.peers.jdbi.inTransaction(handle -> {
            PreparedBatch batch = handle.prepareBatch(upsert ? JDBI_INSERT + JdbcWrites.ON_CONFLICT : JDBI_INSERT);
            for (Item item : items) {
                batch.bind("name", item.name()).bind("email", item.email()).bind("category", item.category())
                        .bind("price", item.price()).bind("createdAt", item.createdAt().atOffset(ZoneOffset.UTC))
                        .bind("active", item.active()).bindArray("tags", String.class, item.tags())
                        .bind("attrs", item.attrs()).add();
            }
            return batch.executePreparedBatch("id").mapTo(Long.class).list();
        });
    }
}
