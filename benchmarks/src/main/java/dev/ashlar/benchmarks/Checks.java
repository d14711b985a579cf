package dev.ashlar.benchmarks;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The checks run before timing: every side of a comparison must give the same answer. */
final class Checks {
    private static final Set<Class<?>> CHECKED = new HashSet<>();

    private Checks() {
    }

    /** Whether this JVM has not checked the benchmark class yet: its checks run once, before its first benchmark. */
    static synchronized boolean first(Class<?> benchmark) {
        return CHECKED.add(benchmark);
    }

    /** The first answer is the reference (plain JDBC's); each other must equal it. */
    static void same(String what, Object reference, Object... others) {
        if (reference == null || reference instanceof List<?> list && list.isEmpty()) {
            throw new IllegalStateException(what + ": the reference side returned nothing");
        }
        for (int i = 0; i < others.length; i++) {
            if (!Objects.equals(reference, others[i])) {
                throw new IllegalStateException(what + ": side " + (i + 2) + " differs from plain JDBC:\n  "
                        + reference + "\n  " + others[i]);
            }
        }
    }
}
