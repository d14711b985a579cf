package dev.ashlar.kernel.migrate;

/** Shows where in a statement PostgreSQL says an error is. */
final class Positions {
    private static final int LONGEST = 2000;
    /** How much of a long line an excerpt shows on each side of the error. */
    private static final int AROUND = 60;
    private static final String CUT = " ...";
    private static final String INDENT = "    ";

    private Positions() {
    }

    /**
     * The line and column ("3:14", the column counted in characters) of the character at the 1-based
     * {@code position}, counted in the string's UTF-16 units.
     */
    static String caret(String statement, int position) {
        int index = Math.min(position - 1, statement.length());
        int lineStart = statement.lastIndexOf('\n', index - 1) + 1;
        int line = (int) statement.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
        int column = statement.codePointCount(lineStart, index) + 1;
        return line + ":" + column;
    }

    /**
     * {@link #caret} of the position an error of the server gives: PostgreSQL counts characters, not the UTF-16
     * units of a Java string, so an emoji before it would move the caret otherwise.
     */
    static String serverCaret(String statement, int position) {
        int characters = statement.codePointCount(0, statement.length());
        int index = statement.offsetByCodePoints(0, Math.max(0, Math.min(position - 1, characters)));
        return caret(statement, index + 1);
    }

    /**
     * The statement indented, cut to a readable length, with a caret under the error position when known. An error
     * past the cut (a long generated INSERT) is shown as an excerpt of its line around the caret.
     */
    static String indent(String statement, String lineColumn) {
        return indent(statement, lineColumn, 1);
    }

    /** {@link #indent} for a statement starting at line {@code first} of its file, whose lines the caret names. */
    static String indent(String statement, String lineColumn, int first) {
        boolean cut = statement.length() > LONGEST;
        String shown = cut ? statement.substring(0, LONGEST) + CUT : statement;
        StringBuilder text = new StringBuilder();
        String[] lines = shown.split("\n", -1);
        int caretLine = lineColumn.isEmpty() ? -1 : Integer.parseInt(lineColumn.split(":")[0]);
        int caretColumn = lineColumn.isEmpty() ? -1 : Integer.parseInt(lineColumn.split(":")[1]);
        boolean drawn = false;
        for (int i = 0; i < lines.length; i++) {
            text.append(INDENT).append(lines[i]).append('\n');
            int characters = lines[i].codePointCount(0, lines[i].length());
            int length = characters - (cut && i == lines.length - 1 ? CUT.length() : 0);
            if (i + 1 == caretLine && caretColumn - 1 <= length) {
                text.append(pointer(caretColumn - 1, first + caretLine - 1, caretColumn));
                drawn = true;
            }
        }
        if (caretLine > 0 && !drawn) {
            String line = statement.split("\n", -1)[caretLine - 1];
            int at = line.offsetByCodePoints(0, Math.min(caretColumn - 1, line.codePointCount(0, line.length())));
            int from = whole(line, Math.max(0, at - AROUND));
            String before = from > 0 ? "..." : "";
            int to = whole(line, Math.min(line.length(), at + AROUND));
            text.append("  at line ").append(first + caretLine - 1).append(", column ").append(caretColumn).append(":\n")
                    .append(INDENT).append(before).append(line, from, to).append(to < line.length() ? "..." : "")
                    .append('\n').append(pointer(before.length() + line.codePointCount(from, at), first + caretLine - 1,
                            caretColumn));
        }
        return text.toString().stripTrailing();
    }

    /** {@code index}, or the one before it when it would cut a character outside the BMP in two. */
    private static int whole(String line, int index) {
        return index > 0 && index < line.length() && Character.isLowSurrogate(line.charAt(index)) ? index - 1 : index;
    }

    private static String pointer(int offset, int line, int column) {
        return INDENT + " ".repeat(Math.max(0, offset)) + "^ (line " + line + ", column " + column + ")\n";
    }
}
