package dev.ashlar.kernel.data;

import dev.ashlar.api.query.Filter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Names from a request (the string API) that hold control characters are shown escaped in the errors they cause. */
class HostileNameTest extends BlogDatabaseTest {
    /** A newline and a forged log line, a NUL, a terminal escape that turns text red, and a C1 control. */
    private static final String HOSTILE = "x\n2026-12-04 INFO all good\r\u0000\u001b[31m\u009b";
    private static final String SHOWN = "x\\n2026-12-04 INFO all good\\r\\u0000\\u001b[31m\\u009b";

    private static void assertEscaped(Throwable failure) {
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).contains(SHOWN).doesNotContain("\n", "\r", "\u0000", "\u001b", "\u009b");
    }

    @Test
    void anUnknownResourceNameIsShownEscaped() {
        assertEscaped(catchThrowable(() -> ashlar.create(HOSTILE, Map.of("title", "a"))));
        assertEscaped(catchThrowable(() -> ashlar.read(HOSTILE).list()));
    }

    @Test
    void anUnknownFieldNameOfAWriteIsShownEscaped() {
        assertEscaped(catchThrowable(() -> ashlar.create("post", Map.of(HOSTILE, "a"))));
        assertEscaped(catchThrowable(() -> ashlar.createAll("post", java.util.List.of(Map.of("title", "a"),
                Map.of("title", "b", HOSTILE, "c")))));
        assertThat(db.value("SELECT count(*) FROM posts")).isEqualTo(0L);
    }

    @Test
    void anUnknownFieldNameOfAFilterIsShownEscaped() {
        assertEscaped(catchThrowable(() -> ashlar.read("post").where(Filter.eq(HOSTILE, 1)).list()));
    }

    @Test
    void aTenantNameWithANulIsRefusedWithoutBeingShown() {
        Throwable failure = catchThrowable(() -> ashlar.withTenant(HOSTILE).create("post", Map.of("title", "a")));

        assertThat(failure).hasMessageContaining("holds a NUL character");
        assertThat(failure.getMessage()).doesNotContain("\u001b", "\n");
    }
}
