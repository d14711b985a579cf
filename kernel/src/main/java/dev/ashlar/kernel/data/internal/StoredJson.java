package dev.ashlar.kernel.data.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * How JSON that jsonb stores is read: without the JSON reader's default bounds on a string's length (20 million
 * characters), a key's (50,000) and a number's (1,000 characters), which jsonb does not share (its numbers are numeric,
 * of up to 131,072 digits before the point and 16,383 after), so that what a write stored reads back.
 */
public final class StoredJson {
    private StoredJson() {
    }

    /**
     * A reader factory with no bound on a string's, a key's or a number's length.
     *
     * @param unnested whether nesting is unbounded too: for the streaming reader alone, which keeps its nesting on the
     *                 heap; reading into objects recurses once per level, so it keeps the default bound of 1,000
     */
    public static JsonFactory factory(boolean unnested) {
        StreamReadConstraints.Builder bounds = StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE)
                .maxNameLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE);
        if (unnested) {
            bounds.maxNestingDepth(Integer.MAX_VALUE);
        }
        return JsonFactory.builder().streamReadConstraints(bounds.build()).build();
    }
}
