package dev.ashlar.plugins.indexes;

import dev.ashlar.api.resource.Resource;
import org.junit.jupiter.api.Test;

import static dev.ashlar.api.resource.Type.TEXT;
import static dev.ashlar.plugins.indexes.CustomIndexes.index;
import static org.assertj.core.api.Assertions.assertThat;

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
}
