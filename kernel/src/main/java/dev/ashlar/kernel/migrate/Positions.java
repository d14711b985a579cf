package dev.ashlar.kernel.migrate;

/** Shows where in a statement PostgreSQL says an error is. */
final class Positions {
    private static final int LONGEST = 2000;

    private Positions() {
    }

    /** A caret line under the character at the 1-based {@code position}, tagged with its line and column. */
    static String caret(String statement, int position) {
        int index = Math.min(position - 1, statement.length());
        int lineStart = statement.lastIndexOf('\n', index - 1) + 1;
        int line = (int) statement.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
        int column = index - lineStart + 1;
        return line + ":" + column;
    }

    /** The statement indented, cut to a readable length, with a caret under the error position when known. */
    static String indent(String statement, String lineColumn) {
        String shown = statement.length() > LONGEST ? statement.substring(0, LONGEST) + " ..." : statement;
        StringBuilder text = new StringBuilder();
        String[] lines = shown.split("\n", -1);
        int caretLine = lineColumn.isEmpty() ? -1 : Integer.parseInt(lineColumn.split(":")[0]);
        int caretColumn = lineColumn.isEmpty() ? -1 : Integer.parseInt(lineColumn.split(":")[1]);
        for (int i = 0; i < lines.length; i++) {
            text.append("    ").append(lines[i]).append('\n');
            if (i + 1 == caretLine) {
                text.append("    ").append(" ".repeat(Math.max(0, caretColumn - 1))).append("^ (line ")
                        .append(caretLine).append(", column ").append(caretColumn).append(")\n");
            }
        }
        return text.toString().stripTrailing();
    }
}
