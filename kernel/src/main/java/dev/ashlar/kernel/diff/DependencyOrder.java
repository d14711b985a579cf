package dev.ashlar.kernel.diff;

import dev.ashlar.kernel.diff.Differ.Placed;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.schema.ObjectKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders objects so that each comes after the objects it depends on, keeping the given order
 * wherever dependencies allow (a stable topological sort), so that output is deterministic.
 */
final class DependencyOrder {
    private DependencyOrder() {
    }

    static List<Placed> sorted(List<Placed> objects) {
        Map<ObjectKey, Placed> byKey = new LinkedHashMap<>();
        objects.forEach(p -> byKey.put(p.key(), p));
        Map<ObjectKey, Integer> state = new HashMap<>();
        List<Placed> result = new ArrayList<>();
        for (Placed placed : objects) {
            visit(placed, byKey, state, result, new ArrayList<>());
        }
        return result;
    }

    /** Dependents before what they depend on: the order to drop in. */
    static List<Placed> reversed(List<Placed> objects) {
        List<Placed> order = sorted(objects);
        Collections.reverse(order);
        return order;
    }

    private static void visit(Placed placed, Map<ObjectKey, Placed> byKey, Map<ObjectKey, Integer> state,
                              List<Placed> result, List<ObjectKey> path) {
        Integer seen = state.get(placed.key());
        if (seen != null && seen == 2) {
            return;
        }
        path.add(placed.key());
        if (seen != null) {
            throw new PluginException("Schema objects depend on each other in a cycle: "
                    + String.join(" -> ", path.stream().map(ObjectKey::toString).toList())
                    + ". The plugins that contribute them must break it.");
        }
        state.put(placed.key(), 1);
        for (ObjectKey dependency : placed.object().dependsOn()) {
            Placed target = byKey.get(dependency);
            if (target != null) {
                visit(target, byKey, state, result, path);
            }
        }
        state.put(placed.key(), 2);
        path.remove(path.size() - 1);
        result.add(placed);
    }
}
