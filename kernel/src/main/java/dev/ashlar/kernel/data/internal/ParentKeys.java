package dev.ashlar.kernel.data.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The distinct keys of a level's parents, each numbered in the order given: the index of its group of related
 * records. Integral keys compare by value, whatever their width (an integer key, a bigint reference); when every key
 * is a whole number, a related row's key is looked up as a {@code long}, without boxing it.
 */
final class ParentKeys {
    /** Keys by their normal form, when some key is no whole number; null otherwise. */
    private final Map<Object, Integer> indexes;
    /** An open-addressing table of whole keys, and at the same slot the key's index plus one (0: an empty slot). */
    private final long[] wholes;
    private final int[] slots;
    private final int size;

    ParentKeys(Collection<Object> keys) {
        boolean whole = true;
        for (Object key : keys) {
            whole &= normal(key) instanceof Long;
        }
        if (!whole) {
            this.indexes = new HashMap<>();
            keys.forEach(key -> indexes.putIfAbsent(normal(key), indexes.size()));
            this.wholes = null;
            this.slots = null;
            this.size = indexes.size();
            return;
        }
        this.indexes = null;
        // At most half full, so a lookup that misses ends at an empty slot soon.
        int capacity = Integer.highestOneBit(Math.max(keys.size(), 1) * 2) * 2;
        this.wholes = new long[capacity];
        this.slots = new int[capacity];
        int count = 0;
        for (Object key : keys) {
            long value = (Long) normal(key);
            int slot = slot(value);
            if (slots[slot] == 0) {
                wholes[slot] = value;
                slots[slot] = ++count;
            }
        }
        this.size = count;
    }

    /** How many distinct keys there are. */
    int size() {
        return size;
    }

    /** Whether every key is a whole number, to be looked up with {@link #indexOf(long)}. */
    boolean whole() {
        return wholes != null;
    }

    /** The index of a key, or -1 when no parent has it (null included). */
    int indexOf(Object key) {
        Object normal = normal(key);
        if (wholes != null) {
            return normal instanceof Long value ? indexOf(value.longValue()) : -1;
        }
        Integer index = indexes.get(normal);
        return index == null ? -1 : index;
    }

    /** The index of a whole key, or -1 when no parent has it; only when {@link #whole()}. */
    int indexOf(long key) {
        return slots[slot(key)] - 1;
    }

    /** The slot that holds the key, or the empty one where it would go. */
    private int slot(long key) {
        int mask = wholes.length - 1;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
        while (slots[slot] != 0 && wholes[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Integral keys compare by value, whatever their width. */
    static Object normal(Object key) {
        if (key instanceof Integer || key instanceof Short) {
            return ((Number) key).longValue();
        }
        return key;
    }
}
