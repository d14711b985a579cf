package dev.ashlar.kernel.tenant;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The tenant migrator's order on Citus: turns between nodes, so parallel jobs spread over the workers. */
class CitusOrderTest {
    @Test
    void schemasTakeTurnsBetweenNodesAndUnplacedOnesComeLast() {
        List<String> schemas = List.of("a1", "a2", "a3", "b1", "new", "b2");
        Map<String, String> nodes = Map.of("a1", "w1:5432", "a2", "w1:5432", "a3", "w1:5432",
                "b1", "w2:5432", "b2", "w2:5432");

        assertThat(Citus.interleaved(schemas, nodes)).containsExactly("a1", "b1", "a2", "b2", "a3", "new");
    }

    @Test
    void onOneServerTheOrderIsKept() {
        assertThat(Citus.interleaved(List.of("c", "a", "b"), Map.of())).containsExactly("c", "a", "b");
    }
}
