package dev.ashlar.kernel;

import dev.ashlar.kernel.data.DraftReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one publish or restore wrote, record by record, as it walks the graph: each written record's key once, as
 * created, updated (its stored values changed), unchanged or destroyed, and the elements found moved to another owner in the drafts.
 */
final class DraftTally {
    /** What became of a record; {@code UNCHANGED} is one overwritten with the values it held, counted nowhere. */
    enum Kind { CREATED, UPDATED, UNCHANGED, DESTROYED }

    /**
     * An element whose draft and live record hang below different owners: its draft moved, or its record did.
     *
     * @param resource     the element's resource
     * @param key          its key
     * @param relationship the owner's relationship it was found through ({@code document.media})
     * @param from         the owner attribute's value the walk found it under (the side it read)
     * @param to           the value on the other side, null when it has no owner there
     */
    record Moved(String resource, List<Object> key, String relationship, Object from, Object to) {
    }

    private final Map<String, Map<List<Object>, Kind>> rows = new LinkedHashMap<>();
    private final List<Moved> moved = new ArrayList<>();

    /** Notes a record written or destroyed; one already noted in this walk keeps its first kind. */
    void note(String resource, List<Object> key, Kind kind) {
        rows.computeIfAbsent(resource, r -> new LinkedHashMap<>()).putIfAbsent(key, kind);
    }

    boolean written(String resource, List<Object> key) {
        Kind kind = rows.getOrDefault(resource, Map.of()).get(key);
        return kind == Kind.CREATED || kind == Kind.UPDATED || kind == Kind.UNCHANGED;
    }

    void moved(Moved element) {
        moved.add(element);
    }

    int movedCount() {
        return moved.size();
    }

    /** The moved elements this walk did not write. */
    List<Moved> movedUnwritten() {
        return moved.stream().filter(m -> !written(m.resource(), m.key())).toList();
    }

    DraftReport report(String resource, int count) {
        Map<String, DraftReport.Counts> counts = new LinkedHashMap<>();
        counts.put(resource, new DraftReport.Counts(0, 0, 0));
        rows.forEach((name, kinds) -> counts.put(name, new DraftReport.Counts(count(kinds, Kind.CREATED),
                count(kinds, Kind.UPDATED), count(kinds, Kind.DESTROYED))));
        return new DraftReport(resource, count, counts);
    }

    private static int count(Map<List<Object>, Kind> kinds, Kind kind) {
        return (int) kinds.values().stream().filter(kind::equals).count();
    }
}
