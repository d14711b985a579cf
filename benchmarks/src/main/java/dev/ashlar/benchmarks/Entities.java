package dev.ashlar.benchmarks;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hibernate's mapping of the benchmark tables, as its users write it: annotated entity classes. */
final class Entities {
    private Entities() {
    }

    /** The columns of an item table; {@code text[]} as a {@code String[]}, {@code jsonb} as its text. */
    @MappedSuperclass
    public abstract static class ItemColumns {
        @Id
        @GeneratedValue(strategy = GenerationType.IDENTITY)
        Long id;
        String name;
        String email;
        Integer category;
        @Column(precision = 10, scale = 2)
        BigDecimal price;
        @Column(name = "created_at")
        Instant createdAt;
        Boolean active;
        String[] tags;
        @JdbcTypeCode(SqlTypes.JSON)
        String attrs;

        Item toItem() {
            return new Item(id, name, email, category, price, createdAt, active,
                    tags == null ? null : Arrays.asList(tags), attrs);
        }

        <T extends ItemColumns> T fill(Item item) {
            name = item.name();
            email = item.email();
            category = item.category();
            price = item.price();
            createdAt = item.createdAt();
            active = item.active();
            tags = item.tags() == null ? null : item.tags().toArray(String[]::new);
            attrs = item.attrs();
            @SuppressWarnings("unchecked")
            T self = (T) this;
            return self;
        }
    }

    /** The seeded items, read. */
    @Entity(name = "ItemEntity")
    @Table(schema = Database.SCHEMA, name = "items")
    public static class ItemEntity extends ItemColumns {
    }

    /** The items bulk writes store. */
    @Entity(name = "BulkItemEntity")
    @Table(schema = Database.SCHEMA, name = "bulk_items")
    public static class BulkItemEntity extends ItemColumns {
    }

    /** A post with its comments. */
    @Entity(name = "PostEntity")
    @Table(schema = Database.SCHEMA, name = "posts")
    public static class PostEntity {
        @Id
        Long id;
        String title;
        @OneToMany(mappedBy = "post")
        @OrderBy("id")
        List<CommentEntity> comments = new ArrayList<>();
    }

    /** A comment of a post; a null rating stays null. */
    @Entity(name = "CommentEntity")
    @Table(schema = Database.SCHEMA, name = "comments")
    public static class CommentEntity {
        @Id
        Long id;
        String body;
        Integer rating;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "post_id")
        PostEntity post;
    }
}
