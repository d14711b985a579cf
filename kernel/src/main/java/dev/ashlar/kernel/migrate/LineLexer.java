package dev.ashlar.kernel.migrate;

import static dev.ashlar.api.internal.SqlTokens.dollarTag;
import static dev.ashlar.api.internal.SqlTokens.isEscapeString;
import static dev.ashlar.api.internal.SqlTokens.next;

/**
 * Reads a script one line at a time and tells, before each line, whether it starts at statement level: outside any
 * string, quoted name, block comment, dollar-quoted body and the rows of a {@code COPY ... FROM stdin}. Its state
 * (what is open, the depth of nested block comments, the dollar tag, whether backslashes escape quotes) is carried
 * from line to line, so a script is read once, in time linear in its length, and reads as {@link SqlStatements#split}
 * reads it: a {@code COPY ... FROM stdin}'s rows up to the line {@code \.} are data, a backslash outside a literal
 * starts a psql command ending with its line, and {@code SET standard_conforming_strings} changes how later strings
 * read a backslash.
 */
final class LineLexer {
    private enum Inside { NOTHING, STRING, QUOTED_NAME, BLOCK_COMMENT, DOLLAR_BODY, COPY_ROWS }

    private Inside inside = Inside.NOTHING;
    /** Whether the open string takes backslash escapes ({@code E'...'}, or any string when {@link #backslashes}). */
    private boolean escapes;
    private int depth;
    private String tag;
    /** Whether a backslash escapes a quote in a plain string: {@code standard_conforming_strings} is off. */
    private boolean backslashes;
    /** The statement's text since the last top-level semicolon, read at the next one. */
    private final StringBuilder statement = new StringBuilder();

    /** Whether the next line starts at statement level, where a line means what it says (a marker, a directive). */
    boolean atStatementLevel() {
        return inside == Inside.NOTHING;
    }

    /** Reads one line (without its line break) and returns it. */
    String read(String line) {
        if (inside == Inside.COPY_ROWS) {
            if (line.strip().equals("\\.")) {
                inside = Inside.NOTHING;
            }
            return line;
        }
        int i = 0;
        int from = 0;
        while (i < line.length()) {
            if (inside != Inside.NOTHING) {
                i = closing(line, i);
                continue;
            }
            char c = line.charAt(i);
            if (c == ';') {
                statement.append(line, from, i + 1);
                from = i + 1;
                if (ended()) {
                    return line;
                }
                i++;
            } else if (c == '\\') {
                // A psql command ends the statement before it and runs to the end of its line.
                statement.setLength(0);
                return line;
            } else if (c == '-' && next(line, i) == '-') {
                break;
            } else {
                i = opening(line, i);
            }
        }
        statement.append(line, from, line.length()).append('\n');
        return line;
    }

    /** Reads a statement that a top-level semicolon ended; whether COPY's rows follow from the next line. */
    private boolean ended() {
        String text = statement.toString();
        statement.setLength(0);
        if (SqlStatements.copiesFromStdin(text)) {
            inside = Inside.COPY_ROWS;
            return true;
        }
        backslashes = SqlStatements.backslashQuotes(text, backslashes, false);
        return false;
    }

    /** Index after the token opening at {@code i} of a line at statement level, its state set when it stays open. */
    private int opening(String line, int i) {
        char c = line.charAt(i);
        if (Character.isLetter(c) || c == '_') {
            // A name may hold '$' (a$b), which opens no body.
            int end = i + 1;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_'
                    || line.charAt(end) == '$')) {
                end++;
            }
            return end;
        }
        if (c == '\'') {
            inside = Inside.STRING;
            escapes = backslashes || isEscapeString(line, i);
            return i + 1;
        }
        if (c == '"') {
            inside = Inside.QUOTED_NAME;
            return i + 1;
        }
        if (c == '/' && next(line, i) == '*') {
            inside = Inside.BLOCK_COMMENT;
            depth = 1;
            return i + 2;
        }
        String dollar = c == '$' ? dollarTag(line, i) : null;
        if (dollar != null) {
            inside = Inside.DOLLAR_BODY;
            tag = dollar;
            return i + dollar.length();
        }
        return i + 1;
    }

    /** Index after what closes the open token from {@code i} on, its state cleared; the line's end when not closed. */
    private int closing(String line, int i) {
        switch (inside) {
            case STRING:
                while (i < line.length()) {
                    char c = line.charAt(i);
                    if (escapes && c == '\\' || c == '\'' && next(line, i) == '\'') {
                        i += 2;
                    } else if (c == '\'') {
                        inside = Inside.NOTHING;
                        return i + 1;
                    } else {
                        i++;
                    }
                }
                return line.length();
            case QUOTED_NAME:
                return close(line, line.indexOf('"', i), 1);
            case DOLLAR_BODY:
                return close(line, line.indexOf(tag, i), tag.length());
            default:
                while (i < line.length()) {
                    if (line.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (line.startsWith("*/", i)) {
                        i += 2;
                        if (--depth == 0) {
                            inside = Inside.NOTHING;
                            return i;
                        }
                    } else {
                        i++;
                    }
                }
                return line.length();
        }
    }

    private int close(String line, int found, int length) {
        if (found < 0) {
            return line.length();
        }
        inside = Inside.NOTHING;
        return found + length;
    }
}
