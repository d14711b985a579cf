package dev.ashlar.kernel.layout;

import dev.ashlar.api.error.ProjectFileException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A properties file a person writes for Ashlar ({@code ashlar.properties}, the Maven plugin's config files), read as
 * UTF-8. {@link Properties#load} alone would keep a byte order mark (which Windows editors write) as part of the first
 * key, which then names no setting, and would refuse a malformed {@code \u005CuXXXX} escape with a bare
 * {@link IllegalArgumentException} naming neither the file nor the line.
 */
public final class PropertiesFile {
    private PropertiesFile() {
    }

    /**
     * The settings of {@code file}.
     *
     * @param what the file as messages name it, e.g. "the config file /app/db.properties"
     * @throws ProjectFileException when the file cannot be read, is not UTF-8 or holds a malformed escape
     */
    public static Properties read(Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            // The exception's own message is often the path alone: say why, and what to do.
            String why = Files.isDirectory(file) ? "it is a folder, not a file"
                    : e instanceof NoSuchFileException ? "there is no such file"
                    : e instanceof AccessDeniedException ? "permission denied; let the user that runs it read the file "
                    + "(chmod a+r)" : e.getMessage();
            throw ProjectFileException.of(file.toString(), "Cannot read " + what + ": " + why, e);
        }
        String text = Utf8.decode(bytes, (line, offset, value) -> ProjectFileException.of(file.toString(),
                sentence(what) + " is not valid UTF-8: line " + line + " holds the byte 0x" + String.format("%02X", value)
                        + ", which is no UTF-8 character there. Save the file as UTF-8"));
        text = Utf8.withoutByteOrderMark(text);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            throw ProjectFileException.of(file.toString(), sentence(what) + " holds a malformed \\u escape on line "
                    + malformedEscapeLine(text) + ": \\u must be followed by four hexadecimal digits (\\u00e9); "
                    + "write the character itself, or \\\\ for a backslash", e);
        } catch (IOException e) {
            throw new IllegalStateException("a StringReader does not fail", e);
        }
        return properties;
    }

    /**
     * The file's description at the start of a sentence: "the config file ..." as "The config file ...", but a path
     * as it is, since {@code p2/ashlar.properties} shown as {@code P2/ashlar.properties} names another file.
     */
    private static String sentence(String what) {
        return what.startsWith("the ") ? "The" + what.substring(3) : what;
    }

    /** The line of the first {@code \u005Cu} not followed by four hexadecimal digits; a {@code \\} escapes the next. */
    private static int malformedEscapeLine(String text) {
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '\\' && i + 1 < text.length()) {
                i++;
                if (text.charAt(i) == 'u' && !text.substring(i + 1, Math.min(i + 5, text.length()))
                        .matches("[0-9A-Fa-f]{4}")) {
                    return line;
                }
                line += text.charAt(i) == '\n' ? 1 : 0;
            }
        }
        return line;
    }
}
