package dev.ashlar.kernel.data.internal;

/**
 * JSON's grammar (RFC 8259) read straight off a text, without copying it or building tokens: whether the text is
 * exactly one JSON value, with nothing but whitespace around it. A bulk write checks every record's JSON text this
 * way; a text it refuses goes through the JSON reader again, which either refuses it with the reader's message or
 * passes it (the reader takes all this grammar takes, so this never passes a text the reader would refuse).
 */
final class JsonGrammar {
    /** The nesting held in {@code bits} before a deeper stack is needed: one bit per level, 1 for an object. */
    private static final int BITS = 64;

    private JsonGrammar() {
    }

    /** Whether the text is exactly one JSON value with optional whitespace around it. */
    static boolean oneValue(String text) {
        int n = text.length();
        long bits = 0;
        boolean[] deeper = null;
        int depth = 0;
        int at = whitespace(text, 0, n);
        value:
        while (true) {
            if (at >= n) {
                return false;
            }
            char c = text.charAt(at);
            if (c == '{' || c == '[') {
                boolean object = c == '{';
                if (depth < BITS) {
                    bits = object ? bits | 1L << depth : bits & ~(1L << depth);
                } else {
                    if (deeper == null || depth - BITS == deeper.length) {
                        deeper = java.util.Arrays.copyOf(deeper == null ? new boolean[0] : deeper,
                                Math.max(BITS, (depth - BITS) * 2));
                    }
                    deeper[depth - BITS] = object;
                }
                depth++;
                at = whitespace(text, at + 1, n);
                if (at < n && text.charAt(at) == (object ? '}' : ']')) {
                    depth--;
                    at++;
                } else {
                    at = object ? member(text, at, n) : at;
                    if (at < 0) {
                        return false;
                    }
                    continue;
                }
            } else {
                at = scalar(text, at, n, c);
                if (at < 0) {
                    return false;
                }
            }
            // After a value: close what it ends, or go on to the next element or member.
            while (true) {
                at = whitespace(text, at, n);
                if (depth == 0) {
                    return at == n;
                }
                if (at >= n) {
                    return false;
                }
                boolean object = depth <= BITS ? (bits >>> (depth - 1) & 1L) != 0 : deeper[depth - 1 - BITS];
                char d = text.charAt(at);
                if (d == ',') {
                    at = whitespace(text, at + 1, n);
                    at = object ? member(text, at, n) : at;
                    if (at < 0) {
                        return false;
                    }
                    continue value;
                }
                if (d != (object ? '}' : ']')) {
                    return false;
                }
                depth--;
                at++;
            }
        }
    }

    /** A member's name and colon from {@code at}: where its value begins (after whitespace), or -1. */
    private static int member(String text, int at, int n) {
        if (at >= n || text.charAt(at) != '"') {
            return -1;
        }
        int end = string(text, at, n);
        at = end < 0 ? -1 : whitespace(text, end, n);
        return at > 0 && at < n && text.charAt(at) == ':' ? whitespace(text, at + 1, n) : -1;
    }

    /** A string, number or literal starting at {@code at} with {@code c}: where it ends, or -1. */
    private static int scalar(String text, int at, int n, char c) {
        return switch (c) {
            case '"' -> string(text, at, n);
            case 't' -> text.startsWith("true", at) ? at + 4 : -1;
            case 'f' -> text.startsWith("false", at) ? at + 5 : -1;
            case 'n' -> text.startsWith("null", at) ? at + 4 : -1;
            default -> c == '-' || c >= '0' && c <= '9' ? number(text, at, n) : -1;
        };
    }

    /** A string from its opening quote: where it ends (past the closing quote), or -1. */
    private static int string(String text, int at, int n) {
        for (int i = at + 1; i < n; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (++i >= n) {
                    return -1;
                }
                char escaped = text.charAt(i);
                if (escaped == 'u') {
                    if (i + 4 >= n) {
                        return -1;
                    }
                    for (int h = i + 1; h <= i + 4; h++) {
                        char hex = text.charAt(h);
                        if (!digit(hex) && (hex < 'a' || hex > 'f') && (hex < 'A' || hex > 'F')) {
                            return -1;
                        }
                    }
                    i += 4;
                } else if ("\"\\/bfnrt".indexOf(escaped) < 0) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}: where it ends, or -1. */
    private static int number(String text, int at, int n) {
        int i = text.charAt(at) == '-' ? at + 1 : at;
        if (i >= n || !digit(text.charAt(i))) {
            return -1;
        }
        i = text.charAt(i) == '0' ? i + 1 : digits(text, i, n);
        if (i < n && text.charAt(i) == '.') {
            int from = i + 1;
            i = digits(text, from, n);
            if (i == from) {
                return -1;
            }
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int from = i + 1 < n && (text.charAt(i + 1) == '+' || text.charAt(i + 1) == '-') ? i + 2 : i + 1;
            i = digits(text, from, n);
            if (i == from) {
                return -1;
            }
        }
        return i;
    }

    private static int digits(String text, int at, int n) {
        while (at < n && digit(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int whitespace(String text, int at, int n) {
        while (at < n) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            at++;
        }
        return at;
    }
}
