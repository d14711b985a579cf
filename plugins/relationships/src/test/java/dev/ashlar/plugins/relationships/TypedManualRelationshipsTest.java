package dev.ashlar.plugins.relationships;

import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Relation;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.TableDdl;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.ashlar.api.typed.Kind.INTEGER;
import static dev.ashlar.api.typed.Kind.TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A manual relationship on typed resources: the section declares it, a typed symbol loads, filters and sorts by it. */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedManualRelationshipsTest {
    record Post(Integer id, String title) {
        static final Table<Post> POSTS = Table.of("post", Post.class);
        static final Field<Post, Integer> ID = POSTS.integerPrimaryKey("id");
        static final TextField<Post> TITLE = POSTS.attribute("title", TEXT);
        static final Relation<Post, Comment> HIGHLY_RATED = POSTS.declaredBySection("highly_rated_comments",
                Comment.COMMENTS);
    }

    record Comment(Integer id, Integer rating, Integer postId) {
        static final Table<Comment> COMMENTS = Table.of("comment", Comment.class);
        static final Field<Comment, Integer> ID = COMMENTS.integerPrimaryKey("id");
        static final Field<Comment, Integer> RATING = COMMENTS.attribute("rating", INTEGER);
        static final Relation<Comment, Post> POST = COMMENTS.belongsTo("post", Post.POSTS);
    }

    record PostWithHighlights(Integer id, String title, List<Comment> highlyRatedComments) {
    }

    private Ashlar ashlar;

    @BeforeAll
    void start(TestDatabase db) {
        Domain domain = Domain.builder("blog")
                .resource(Post.POSTS.builder().table("posts").add(Post.ID, Post.TITLE)
                        .with(ManualRelationships.of(Manual.hasMany("highly_rated_comments", "comment",
                                new HighlyRatedComments())))
                        .build())
                .resource(Comment.COMMENTS.builder().table("comments").add(Comment.ID, Comment.RATING, Comment.POST)
                        .build())
                .build();
        for (var table : new SchemaBuilder(domain, Plugins.none().with(new ManualRelationshipsPlugin())).build().tables()) {
            db.execute(TableDdl.createTable(table));
            table.objects().forEach(object -> db.execute(object.up()));
        }
        ashlar = Ashlar.builder().dataSource(db.dataSource()).domain(domain).build();
        Post loved = ashlar.create(Post.POSTS, new Post(null, "loved"));
        Post panned = ashlar.create(Post.POSTS, new Post(null, "panned"));
        ashlar.createAll(Comment.COMMENTS, List.of(new Comment(null, 5, loved.id()), new Comment(null, 5, loved.id()),
                new Comment(null, 3, loved.id()), new Comment(null, 2, panned.id())));
    }

    @AfterAll
    void stop() {
        ashlar.close();
    }

    @Test
    void loadsFiltersAndSortsByTheSectionsRelationshipThroughItsTypedSymbol() {
        List<PostWithHighlights> posts = ashlar.read(Post.POSTS).load(Post.HIGHLY_RATED)
                .sort(Post.HIGHLY_RATED.countDesc(), Post.ID.asc()).list(PostWithHighlights.class);

        assertThat(posts).extracting(PostWithHighlights::title).containsExactly("loved", "panned");
        assertThat(posts.get(0).highlyRatedComments()).extracting(Comment::rating).containsExactly(5, 5);
        assertThat(ashlar.read(Post.POSTS).where(Post.HIGHLY_RATED.any()).list()).extracting(Post::title)
                .containsExactly("loved");
    }

    @Test
    void aRelationshipTheSectionDeclaresCannotAlsoBeAddedToTheBuilder() {
        assertThatThrownBy(() -> Post.POSTS.builder().add(Post.HIGHLY_RATED))
                .hasMessageContaining("highly_rated_comments").hasMessageContaining(".with(");
    }
}
