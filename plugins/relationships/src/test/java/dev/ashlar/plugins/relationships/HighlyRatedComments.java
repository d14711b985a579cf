package dev.ashlar.plugins.relationships;

import dev.ashlar.api.data.Row;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.spi.plugin.LoadContext;
import dev.ashlar.api.query.Query;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static dev.ashlar.api.query.Filter.and;
import static dev.ashlar.api.query.Filter.gt;
import static dev.ashlar.api.query.Filter.in;

/** The guide's manual relationship: a post's comments rated above 4, with a loader and a join. */
final class HighlyRatedComments implements ManualRelationship {
    /** The parents of each call of the loader, to prove it is called once per level. */
    final List<List<Row>> calls = new CopyOnWriteArrayList<>();
    /** The tenant each call of the loader was given. */
    final List<String> tenants = new CopyOnWriteArrayList<>();

    @Override
    public Map<Object, List<Row>> load(List<Row> posts, LoadContext context) {
        calls.add(posts);
        tenants.add(String.valueOf(context.tenant()));
        List<Object> postIds = posts.stream().map(post -> post.get("id")).toList();
        return context.reader().read(Query.of("comment").withFilter(and(in("post_id", postIds), gt("rating", 4))))
                .stream().collect(Collectors.groupingBy(comment -> comment.get("post_id")));
    }

    @Override
    public Optional<Join> join(Query posts, Query comments) {
        return Optional.of(new Join("id", "post_id", gt("rating", 4)));
    }
}
