package dev.ashlar.plugins.references;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.spi.plugin.AshlarPlugin;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceRegistrationTest {

    @Test
    void everyListedClassLoadsAndIsAPlugin() throws IOException, ReflectiveOperationException {
        List<String> listed;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/" + AshlarPlugin.class.getName())) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }

        assertThat(listed).containsExactly(ReferencesPlugin.class.getName());
        for (String name : listed) {
            Object plugin = Class.forName(name).getDeclaredConstructor().newInstance();
            assertThat(plugin).isInstanceOf(AshlarPlugin.class);
        }
    }

    @Test
    void discoveryFindsThePluginByTheIdItsSectionNames() {
        assertThat(Plugins.discover(getClass().getClassLoader()).find(References.PLUGIN))
                .containsInstanceOf(ReferencesPlugin.class);
        assertThat(References.of().artifact()).isEqualTo("dev.ashlar:ashlar-references");
    }
}
