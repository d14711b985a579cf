package dev.ashlar.kernel.data.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's text of a composite value: {@code (12.50,EUR)}, a field empty for null, quoted where it holds a comma,
 * a quote, a parenthesis, a backslash or white space ({@code ("a,b","say ""hi""")}).
 */
final class CompositeText {
    private CompositeText() {
    }

    /** The text of a value whose fields are these texts (null for a null field), each quoted so any text fits. */
    static String write(List<String> fields) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            text.append(i == 0 ? "" : ",");
            if (field != null) {
                text.append('"').append(field.replace("\\", "\\\\").replace("\"", "\"\"")).append('"');
            }
        }
        return text.append(')').toString();
    }

    /**
     * The fields' texts of a value, null for an empty unquoted field.
     *
     * @throws Codec.RejectedValue when the text is not a composite value
     */
    static List<String> read(String text) {
        if (text.length() < 2 || text.charAt(0) != '(' || text.charAt(text.length() - 1) != ')') {
            throw new Codec.RejectedValue("is no composite value: '" + text + "'");
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean written = false;
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() - 1) {
                field.append(text.charAt(++i));
            } else if (c == '"' && quoted && i + 1 < text.length() - 1 && text.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
                written = true;
            } else if (c == ',' && !quoted) {
                fields.add(written || field.length() > 0 ? field.toString() : null);
                field.setLength(0);
                written = false;
            } else {
                field.append(c);
            }
        }
        fields.add(written || field.length() > 0 ? field.toString() : null);
        return fields;
    }
}
