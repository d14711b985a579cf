package dev.ashlar.plugins.checks;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.kernel.schema.SchemaBuilder;
import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.spi.plugin.AshlarPlugin;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.ashlar.plugins.checks.Check.check;
import static dev.ashlar.plugins.checks.Orders.POSITIVE_AMOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Mistakes in a checks section, the plugin's registration, and what happens without it. */
class ChecksRulesTest {

    @Test
    void aCheckWithoutExpressionOrWithAnUnknownAttributeIsRefusedNamingIt() {
        assertThatThrownBy(() -> Project.PLUGINS.check(Orders.with(check("vague").attributes("price"))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("resource 'order', 'vague': check(\"vague\") has no expression")
                .hasMessageContaining("check(\"vague\").attributes(...) names 'price', which resource 'order' does "
                        + "not have");
    }

    @Test
    void aCheckOfAJoinedChildNamingAFieldItsParentsTableStoresIsRefusedNamingTheParent() {
        dev.ashlar.api.resource.Resource animal = dev.ashlar.api.resource.Resource.builder("animal").table("animals")
                .integerPrimaryKey("id").attribute("legs", dev.ashlar.api.resource.Type.INTEGER).build();
        dev.ashlar.api.resource.Resource dog = dev.ashlar.api.resource.Resource.builder("dog").table("dogs")
                .extending("animal").attribute("breed", dev.ashlar.api.resource.Type.TEXT)
                .with(CheckConstraints.of(check("four_legs").expression("legs = 4").attributes("legs"))).build();

        assertThatThrownBy(() -> Project.PLUGINS.check(dev.ashlar.api.resource.Domain.builder("zoo")
                .resources(animal, dog).build()))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("check(\"four_legs\").attributes(...) names 'legs', which resource 'dog' "
                        + "inherits from 'animal', whose table stores it")
                .hasMessageContaining("declare the check on 'animal'");
    }

    @Test
    void aNameOver63BytesIsRefusedNamingTheNameOption() {
        String longName = "c".repeat(64);

        assertThatThrownBy(() -> Project.PLUGINS.check(Orders.with(POSITIVE_AMOUNT.name(longName))))
                .hasMessageContaining("the name(\"" + longName + "\") of the check is 64 bytes long");
    }

    @Test
    void twoChecksWithOneNameAreRefused() {
        assertThatThrownBy(() -> Project.PLUGINS.check(Orders.with(POSITIVE_AMOUNT, POSITIVE_AMOUNT)))
                .hasMessageContaining("check(\"positive_amount\") is declared twice");
    }

    @Test
    void usingTheSectionWithoutThePluginFailsNamingTheJarToAdd() {
        assertThatThrownBy(() -> new SchemaBuilder(Orders.with(POSITIVE_AMOUNT), Plugins.none()).build())
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("uses the 'checks' section, but no plugin 'checks' is installed. Add "
                        + "dev.ashlar:ashlar-checks to the class path");
    }

    @Test
    void everyListedClassLoadsAndDiscoveryFindsIt() throws IOException, ReflectiveOperationException {
        List<String> listed;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/" + AshlarPlugin.class.getName())) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }

        assertThat(listed).containsExactly(ChecksPlugin.class.getName());
        for (String name : listed) {
            assertThat(Class.forName(name).getDeclaredConstructor().newInstance()).isInstanceOf(AshlarPlugin.class);
        }
        assertThat(Plugins.discover(getClass().getClassLoader()).find(CheckConstraints.PLUGIN))
                .containsInstanceOf(ChecksPlugin.class);
    }
}
