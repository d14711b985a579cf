package dev.ashlar.plugins.indexes;

import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.error.FieldError;
import dev.ashlar.api.error.InvalidDataException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.spi.plugin.Action;
import dev.ashlar.spi.plugin.DatabaseError;
import dev.ashlar.spi.plugin.QueryContext;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Custom indexes over attributes stored in columns of other names: keys, included columns and names are columns. */
class ColumnNamesIndexTest extends ProjectTest {

    private static Resource users() {
        return Resource.builder("user").table("users").integerPrimaryKey("id")
                .attribute("lastName", TEXT, a -> a.column("last_name"))
                .attribute("email", TEXT, a -> a.column("email_address"))
                .with(CustomIndexes.of(index("lastName", "lower(email_address)").include("email"),
                        index("email").unique()))
                .build();
    }

    @Test
    void anIndexOnAttributesIsBuiltAndNamedOnTheirColumns() {
        project.apply("create_users", users());

        assertThat(project.index("users_last_name_lower_email_address_index"))
                .containsEntry("keys", "last_name,expression").containsEntry("included", "email_address");
        assertThat(project.index("users_email_address_index")).containsEntry("unique", true)
                .containsEntry("keys", "email_address");
        assertThat(project.apply("again", users()).changed()).isFalse();
    }

    @Test
    void anAttributeWhoseNameIsNoPlainNameIsIndexedAsItsQuotedColumnAndNamesTheIndexAsItIs() {
        Resource items = Resource.builder("item").table("items").integerPrimaryKey("id")
                .attribute("unit price", TEXT).attribute("naïve", TEXT).attribute("größe", TEXT)
                .with(CustomIndexes.of(index("unit price", "naïve"), index("größe").unique().message("is in use")))
                .build();

        project.apply("create_items", items);

        assertThat(project.index("items_unit price_naïve_index")).containsEntry("keys", "unit price,naïve");
        assertThat(project.index("items_größe_index")).containsEntry("unique", true).containsEntry("keys", "größe");
        assertThat(project.apply("again", items).changed()).isFalse();
        Optional<AshlarException> mapped = new IndexesPlugin().mapError(new DatabaseError(DatabaseError.UNIQUE_VIOLATION,
                "duplicate key", null, "public", "items", null, "items_größe_index"), new QueryContext(
                Domain.builder("app").resource(items).build(), items, Action.CREATE, null));
        assertThat(mapped).get().isInstanceOfSatisfying(InvalidDataException.class, e -> assertThat(e.errors())
                .extracting(FieldError::field, FieldError::message).containsExactly(tuple("größe", "is in use")));
    }
}
