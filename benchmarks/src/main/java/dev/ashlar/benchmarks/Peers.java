package dev.ashlar.benchmarks;

import org.hibernate.SessionFactory;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Hibernate, jOOQ and Jdbi on the benchmark's pool, set up as their guides show: Hibernate with annotated
 * entities ({@link Entities}) and a stateless session, jOOQ's DSL with plain names (no generated code),
 * Jdbi's fluent API.
 */
final class Peers implements AutoCloseable {
    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
    }

    static final Table<Record> ITEMS = DSL.table(DSL.name(Database.SCHEMA, "items"));
    static final Table<Record> BULK_ITEMS = DSL.table(DSL.name(Database.SCHEMA, "bulk_items"));
    static final Table<Record> POSTS = DSL.table(DSL.name(Database.SCHEMA, "posts"));
    static final Table<Record> COMMENTS = DSL.table(DSL.name(Database.SCHEMA, "comments"));
    static final Field<Long> ID = DSL.field(DSL.name("id"), SQLDataType.BIGINT);
    static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.CLOB);
    static final Field<String> EMAIL = DSL.field(DSL.name("email"), SQLDataType.CLOB);
    static final Field<Integer> CATEGORY = DSL.field(DSL.name("category"), SQLDataType.INTEGER);
    static final Field<BigDecimal> PRICE = DSL.field(DSL.name("price"), SQLDataType.NUMERIC(10, 2));
    static final Field<OffsetDateTime> CREATED_AT = DSL.field(DSL.name("created_at"),
            SQLDataType.TIMESTAMPWITHTIMEZONE(6));
    static final Field<Boolean> ACTIVE = DSL.field(DSL.name("active"), SQLDataType.BOOLEAN);
    static final Field<String[]> TAGS = DSL.field(DSL.name("tags"), SQLDataType.CLOB.array());
    static final Field<JSONB> ATTRS = DSL.field(DSL.name("attrs"), SQLDataType.JSONB);
    static final Field<String> TITLE = DSL.field(DSL.name("title"), SQLDataType.CLOB);
    static final Field<String> BODY = DSL.field(DSL.name("body"), SQLDataType.CLOB);
    static final Field<Integer> RATING = DSL.field(DSL.name("rating"), SQLDataType.INTEGER);
    static final Field<Long> POST_ID = DSL.field(DSL.name("post_id"), SQLDataType.BIGINT);
    /** Every column of an item but its key, in table order. */
    static final Field<?>[] WRITTEN = {NAME, EMAIL, CATEGORY, PRICE, CREATED_AT, ACTIVE, TAGS, ATTRS};

    final SessionFactory hibernate;
    final DSLContext jooq;
    final Jdbi jdbi;

    Peers(DataSource pool) {
        Configuration configuration = new Configuration()
                .addAnnotatedClass(Entities.ItemEntity.class)
                .addAnnotatedClass(Entities.BulkItemEntity.class)
                .addAnnotatedClass(Entities.PostEntity.class)
                .addAnnotatedClass(Entities.CommentEntity.class);
        configuration.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, pool);
        configuration.setProperty(AvailableSettings.STATEMENT_BATCH_SIZE, "1000");
        configuration.setProperty(AvailableSettings.ORDER_INSERTS, "true");
        this.hibernate = configuration.buildSessionFactory();
        this.jooq = DSL.using(pool, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
        this.jdbi = Jdbi.create(pool);
        jdbi.registerRowMapper(ConstructorMapper.factory(Item.class));
    }

    /** A row of jOOQ's select of every item column, as the benchmark's record. */
    static Item item(Record row) {
        OffsetDateTime created = row.get(CREATED_AT);
        String[] tags = row.get(TAGS);
        JSONB attrs = row.get(ATTRS);
        return new Item(row.get(ID), row.get(NAME), row.get(EMAIL), row.get(CATEGORY), row.get(PRICE),
                created == null ? null : created.toInstant(), row.get(ACTIVE), tags == null ? null : Arrays.asList(tags),
                attrs == null ? null : attrs.data());
    }

    @Override
    public void close() {
        hibernate.close();
    }
}
