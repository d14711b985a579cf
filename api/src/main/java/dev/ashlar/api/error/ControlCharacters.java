package dev.ashlar.api.error;

/**
 * Control characters in text that a message quotes, shown as escapes: a name holding a newline, a NUL or a terminal
 * escape ({@code ESC [ 31 m}) must not forge a log line or drive the terminal that prints the message. C0 controls
 * (U+0000 to U+001F), DEL, C1 controls (U+0080 to U+009F), the Unicode line and paragraph separators, the
 * {@link #invisible invisible} characters (a zero-width space, a byte order mark, the bidi controls that reorder a line
 * when shown, a variation selector, a Hangul filler) and half a surrogate pair without its other half are escaped:
 * {@code \n}, {@code \r}, {@code \t}, and {@code \}{@code u001b} for the others (a character past U+FFFF as its two
 * UTF-16 units).
 *
 * <p>Every {@link AshlarException} shows its message so: the resource and field it carries escaped whole, and control
 * characters elsewhere but the newlines and tabs that lay out a message of several lines.
 */
public final class ControlCharacters {
    private ControlCharacters() {
    }

    /** The text with every control character escaped; {@code null} stays {@code null}. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** A message with control characters escaped, but the newlines and tabs that lay it out. */
    static String escapeKeepingLayout(String message) {
        return escape(message, true);
    }

    /**
     * A message whose parts that came from the caller (a resource or field name) are escaped whole, a newline
     * included, and the rest with its layout kept.
     */
    static String message(String message, String resource, String field, String... quoted) {
        if (message == null) {
            return null;
        }
        String shown = escapeWhole(escapeWhole(message, resource), field);
        for (String part : quoted) {
            shown = escapeWhole(shown, part);
        }
        return escapeKeepingLayout(shown);
    }

    private static String escapeWhole(String message, String part) {
        return part == null || part.isEmpty() || !needsEscape(part, false) ? message
                : message.replace(part, escape(part));
    }

    private static String escape(String text, boolean keepLayout) {
        if (text == null || !needsEscape(text, keepLayout)) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (!control(c) || keepLayout && (c == '\n' || c == '\t')) {
                shown.appendCodePoint(c);
            } else if (c == '\n') {
                shown.append("\\n");
            } else if (c == '\r') {
                shown.append("\\r");
            } else if (c == '\t') {
                shown.append("\\t");
            } else {
                for (char unit : Character.toChars(c)) {
                    shown.append(String.format("\\u%04x", (int) unit));
                }
            }
        });
        return shown.toString();
    }

    private static boolean needsEscape(String text, boolean keepLayout) {
        return text.codePoints().anyMatch(c -> control(c) && !(keepLayout && (c == '\n' || c == '\t')));
    }

    /**
     * Whether the character shows as nothing: a format character (type {@code Cf}: a zero-width space, a byte order
     * mark, a bidi control, a soft hyphen, a tag) or another of Unicode's default-ignorable code points (the combining
     * grapheme joiner U+034F, the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, U+17B4 and U+17B5, the Mongolian
     * and other variation selectors U+180B to U+180F, U+FE00 to U+FE0F and U+E0100 to U+E01EF, and the code points
     * Unicode keeps for more of them: U+2065, U+FFF0 to U+FFF8, U+E0000 to U+E0FFF).
     */
    public static boolean invisible(int c) {
        return Character.getType(c) == Character.FORMAT || c == 0x034f || c == 0x115f || c == 0x1160
                || c == 0x17b4 || c == 0x17b5 || c >= 0x180b && c <= 0x180f || c == 0x2065 || c == 0x3164
                || c >= 0xfe00 && c <= 0xfe0f || c == 0xffa0 || c >= 0xfff0 && c <= 0xfff8
                || c >= 0xe0000 && c <= 0xe0fff;
    }

    private static boolean control(int c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029' || invisible(c)
                || Character.getType(c) == Character.SURROGATE;
    }
}
