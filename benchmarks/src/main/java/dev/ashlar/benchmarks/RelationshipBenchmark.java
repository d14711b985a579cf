package dev.ashlar.benchmarks;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
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
 * 100 posts with their comments (10 each): Ashlar's batched load against the same by hand in plain
 * JDBC, two queries and grouping by post.
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

    @Benchmark
    public List<PostView> ashlarLoad100PostsWithComments(Database db) {
        return read(db).list(PostView.class);
    }

    @Benchmark
    public List<Row> ashlarLoad100PostsWithCommentsRows(Database db) {
        return read(db).list();
    }

    private dev.ashlar.kernel.Read read(Database db) {
        long start = nextStart();
        return db.ashlar.read("post").where(Filter.and(Filter.gte("id", start), Filter.lt("id", start + PAGE)))
                .sort(Sort.asc("id")).load("comments", c -> c.sort(Sort.asc("id")));
    }

    @Benchmark
    public List<PostView> jdbcLoad100PostsWithComments(Database db) throws SQLException {
        long start = nextStart();
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
            Array array = connection.createArrayOf("bigint", ids.toArray());
            statement.setArray(1, array);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    int rating = rows.getInt(3);
                    CommentView comment = new CommentView(rows.getLong(1), rows.getString(2),
                            rows.wasNull() ? null : rating);
                    byPost.computeIfAbsent(rows.getLong(4), k -> new ArrayList<>()).add(comment);
                }
            }
            array.free();
        }
        return byPost;
    }
}
