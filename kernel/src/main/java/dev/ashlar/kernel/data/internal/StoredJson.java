package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * How JSON that jsonb stores is read: without the JSON reader's default bounds on a string's length (20 million
 * characters) and a key's (50,000), which jsonb does not share, so that what a write stored reads back.
 */
public final class StoredJson {
    private StoredJson() {
    }

    /**
     * A reader factory with no bound on a string's or a key's length.
     *
     * @param unnested whether nesting is unbounded too: for the streaming reader alone, which keeps its nesting on the
     *                 heap; reading into objects recurses once per level, so it keeps the default bound of 1,000
     */
    public static JsonFactory factory(boolean unnested) {
        StreamReadConstraints.Builder bounds = StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                .maxNameLength(Integer.MAX_VALUE);
        if (unnested) {
            bounds.maxNestingDepth(Integer.MAX_VALUE);
        }
        return JsonFactory.builder().streamReadConstraints(bounds.build()).build();
    }
}
