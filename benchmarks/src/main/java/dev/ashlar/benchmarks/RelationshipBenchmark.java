package dev.ashlar.benchmarks;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.kernel.Read;
import org.hibernate.StatelessSession;
import org.jdbi.v3.core.Handle;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * 100 posts with their comments (10 each, every fifth without a rating): Ashlar's batched load against
 * the same by hand in plain JDBC (two queries on one connection, grouping by post), Hibernate (a fetch
 * join), jOOQ and Jdbi (the same two queries). Before timing, every side must return the same posts.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class RelationshipBenchmark {
    private static final int PAGE = 100;
    private static final String POSTS = "SELECT \"id\", \"title\" FROM \"ashlar_bench\".\"posts\" "
            + "WHERE \"id\" >= ? AND \"id\" < ? ORDER BY \"id\" ASC";
    private static final String COMMENTS = "SELECT \"id\", \"body\", \"rating\", \"post_id\" "
            + "FROM \"ashlar_bench\".\"comments\" WHERE \"post_id\" = ANY(?) ORDER BY \"id\" ASC";
    private static final String HQL = "select distinct p from PostEntity p left join fetch p.comments c "
            + "where p.id >= :from and p.id < :to order by p.id, c.id";

    /** A comment as the application wants it. */
    public record CommentView(long id, String body, Integer rating) {
    }

    /** A post with its comments. */
    public record PostView(long id, String title, List<CommentView> comments) {
    }

    private long next;

    private long nextStart() {
        next = (next + PAGE) % Database.POSTS;
        return next + 1;
    }

    /** Every side loads the same posts and comments (NULL ratings included), or nothing is timed. */
    @Setup(Level.Trial)
    public void check(Database db) throws SQLException {
        if (!Checks.first(RelationshipBenchmark.class)) {
            return;
        }
        for (long start : new long[] {1, 901}) {
            List<PostView> reference = jdbc(db, start);
            Checks.same("posts from " + start, reference, ashlar(db, start).list(PostView.class), hibernate(db, start),
                    jooq(db, start), jdbi(db, start));
            if (reference.stream().flatMap(p -> p.comments().stream()).noneMatch(c -> c.rating() == null)) {
                throw new IllegalStateException("the seeded comments should include NULL ratings");
            }
        }
    }

    @Benchmark
    public List<PostView> ashlarLoad100PostsWithComments(Database db) {
        return ashlar(db, nextStart()).list(PostView.class);
    }

    @Benchmark
    public List<Row> ashlarLoad100PostsWithCommentsRows(Database db) {
        return ashlar(db, nextStart()).list();
    }

    @Benchmark
    public List<PostView> jdbcLoad100PostsWithComments(Database db) throws SQLException {
        return jdbc(db, nextStart());
    }

    @Benchmark
    public List<PostView> hibernateLoad100PostsWithComments(Database db) {
        return hibernate(db, nextStart());
    }

    @Benchmark
    public List<PostView> jooqLoad100PostsWithComments(Database db) {
        return jooq(db, nextStart());
    }

    @Benchmark
    public List<PostView> jdbiLoad100PostsWithComments(Database db) {
        return jdbi(db, nextStart());
    }

    private static Read ashlar(Database db, long start) {
        return db.ashlar.read("post").where(Filter.and(Filter.gte("id", start), Filter.lt("id", start + PAGE)))
                .sort(Sort.asc("id")).load("comments", c -> c.sort(Sort.asc("id")));
    }

    static List<PostView> jdbc(Database db, long start) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            List<Long> ids = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(POSTS)) {
                statement.setLong(1, start);
                statement.setLong(2, start + PAGE);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                        titles.add(rows.getString(2));
                    }
                }
            }
            Map<Long, List<CommentView>> byPost = comments(connection, ids);
            List<PostView> posts = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                posts.add(new PostView(ids.get(i), titles.get(i), byPost.getOrDefault(ids.get(i), List.of())));
            }
            return posts;
        }
    }

    private static Map<Long, List<CommentView>> comments(Connection connection, List<Long> ids) throws SQLException {
        Map<Long, List<CommentView>> byPost = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COMMENTS)) {
            Array array = connection.createArrayOf("bigint", ids.toArray(Long[]::new));
            statement.setArray(1, array);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    // wasNull() right after the column it is about: a NULL rating is null, not 0.
                    int rating = rows.getInt(3);
                    Integer ratingOrNull = rows.wasNull() ? null : rating;
                    CommentView comment = new CommentView(rows.getLong(1), rows.getString(2), ratingOrNull);
                    byPost.computeIfAbsent(rows.getLong(4), k -> new ArrayList<>()).add(comment);
                }
            }
            array.free();
        }
        return byPost;
    }

    static List<PostView> hibernate(Database db, long start) {
        try (StatelessSession session = db.peers.hibernate.openStatelessSession()) {
            List<Entities.PostEntity> posts = session.createSelectionQuery(HQL, Entities.PostEntity.class)
                    .setParameter("from", start).setParameter("to", start + PAGE).getResultList();
            List<PostView> views = new ArrayList<>(posts.size());
            for (Entities.PostEntity post : posts) {
                List<CommentView> comments = new ArrayList<>(post.comments.size());
                for (Entities.CommentEntity comment : post.comments) {
                    comments.add(new CommentView(comment.id, comment.body, comment.rating));
                }
                views.add(new PostView(post.id, post.title, comments));
            }
            return views;
        }
    }

    static List<PostView> jooq(Database db, long start) {
        DSLContext jooq = db.peers.jooq;
        return jooq.connectionResult(connection -> {
            DSLContext on = DSL.using(connection, SQLDialect.POSTGRES, jooq.settings());
            var posts = on.select(Peers.ID, Peers.TITLE).from(Peers.POSTS)
                    .where(Peers.ID.ge(start).and(Peers.ID.lt(start + PAGE))).orderBy(Peers.ID).fetch();
            Map<Long, List<CommentView>> byPost = new HashMap<>();
            on.select(Peers.ID, Peers.BODY, Peers.RATING, Peers.POST_ID).from(Peers.COMMENTS)
                    .where(Peers.POST_ID.in(posts.getValues(Peers.ID))).orderBy(Peers.ID)
                    .forEach(row -> byPost.computeIfAbsent(row.value4(), k -> new ArrayList<>())
                            .add(new CommentView(row.value1(), row.value2(), row.value3())));
            List<PostView> views = new ArrayList<>(posts.size());
            posts.forEach(post -> views.add(new PostView(post.value1(), post.value2(),
                    byPost.getOrDefault(post.value1(), List.of()))));
            return views;
        });
    }

    static List<PostView> jdbi(Database db, long start) {
        return db.peers.jdbi.withHandle(handle -> {
            List<Map.Entry<Long, String>> posts = handle.createQuery(POSTS).bind(0, start).bind(1, start + PAGE)
                    .map((rows, context) -> Map.entry(rows.getLong(1), rows.getString(2))).list();
            Map<Long, List<CommentView>> byPost = jdbiComments(handle, posts.stream().map(Map.Entry::getKey).toList());
            List<PostView> views = new ArrayList<>(posts.size());
            posts.forEach(post -> views.add(new PostView(post.getKey(), post.getValue(),
                    byPost.getOrDefault(post.getKey(), List.of()))));
            return views;
        });
    }

    private static Map<Long, List<CommentView>> jdbiComments(Handle handle, List<Long> ids) {
        Map<Long, List<CommentView>> byPost = new HashMap<>();
        handle.createQuery(COMMENTS).bindArray(0, Long.class, ids)
                .map((rows, context) -> {
                    Integer rating = (Integer) rows.getObject(3);
                    return Map.entry(rows.getLong(4), new CommentView(rows.getLong(1), rows.getString(2), rating));
                })
                .forEach(entry -> byPost.computeIfAbsent(entry.getKey(), k -> new ArrayList<>()).add(entry.getValue()));
        return byPost;
    }
}
