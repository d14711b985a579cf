package dev.ashlar.plugins.indexes;

import dev.ashlar.spi.plugin.AshlarPlugin;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceRegistrationTest {
    private static final String SERVICES = "META-INF/services/" + AshlarPlugin.class.getName();

    @Test
    void everyClassListedInTheServicesFileLoadsThroughTheServiceLoader() throws IOException {
        List<String> listed;
        try (InputStream in = IndexesPlugin.class.getClassLoader().getResourceAsStream(SERVICES)) {
            assertThat(in).as(SERVICES).isNotNull();
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        }

        List<String> loaded = ServiceLoader.load(AshlarPlugin.class).stream()
                .map(provider -> provider.get().getClass().getName()).toList();

        assertThat(listed).containsExactly(IndexesPlugin.class.getName());
        assertThat(loaded).containsAll(listed);
        assertThat(ServiceLoader.load(AshlarPlugin.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p instanceof IndexesPlugin)).singleElement()
                .satisfies(plugin -> assertThat(plugin.id()).isEqualTo(new CustomIndexes(List.of()).plugin()));
    }
}
