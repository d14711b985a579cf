package dev.ashlar.api.error;

/**
 * Control characters in text that a message quotes, shown as escapes: a name holding a newline, a NUL or a terminal
 * escape ({@code ESC [ 31 m}) must not forge a log line or drive the terminal that prints the message. C0 controls
 * (U+0000 to U+001F), DEL, C1 controls (U+0080 to U+009F), the Unicode line and paragraph separators and the invisible
 * format characters (type {@code Cf}: a zero-width space, a byte order mark, the bidi controls that reorder a line when
 * shown) are escaped: {@code \n}, {@code \r}, {@code \t}, and {@code \}{@code u001b} for the others (a character
 * past U+FFFF as its two UTF-16 units).
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

    private static boolean control(int c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029'
                || Character.getType(c) == Character.FORMAT;
    }
}
