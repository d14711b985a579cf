package dev.ashlar.kernel.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading names and lists out of a statement's code (see {@code SqlStatements.code}). */
final class Sql {
    /** An identifier, quoted or not. */
    static final String IDENT = "(?:\"(?:[^\"]|\"\")*+\"|[a-z_][a-z0-9_$]*)";
    /** A name, possibly schema-qualified. */
    static final String NAME = IDENT + "(?: ?\\. ?" + IDENT + ")?";
    private static final Pattern PART = Pattern.compile(IDENT);

    private Sql() {
    }

    /** A name without quotes, its parts joined by a dot: {@code "public"."Posts"} is {@code public.Posts}. */
    static String key(String name) {
        List<String> parts = new ArrayList<>();
        Matcher part = PART.matcher(name);
        while (part.find()) {
            String text = part.group();
            parts.add(text.startsWith("\"") ? text.substring(1, text.length() - 1).replace("\"\"", "\"") : text);
        }
        return String.join(".", parts);
    }

    /** Whether two keys name the same object; an unqualified one matches any schema. */
    static boolean same(String a, String b) {
        return a.equals(b) || (!a.contains(".") || !b.contains(".")) && last(a).equals(last(b));
    }

    private static String last(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The parts of {@code text} between separators outside parentheses and quoted identifiers, trimmed. */
    static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == separator) {
                parts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(text.substring(start).strip());
        return parts;
    }

    /** The text inside the parentheses that open at {@code open}, or the rest when they never close. */
    static String inside(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0) {
                return text.substring(open + 1, i).strip();
            }
        }
        return text.substring(open + 1).strip();
    }
}
