package dev.ashlar.kernel.layout;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text of a file a person wrote, decoded strictly: bytes that are no UTF-8, decoded leniently, would become U+FFFD
 * and be used that way, silently changing what the file says (a Latin-1 'é' in a default, a setting, a comment).
 */
public final class Utf8 {
    private Utf8() {
    }

    /** Builds the error for the first byte that is no UTF-8. */
    @FunctionalInterface
    public interface Malformed {
        /**
         * @param line   the line that holds the byte, from 1
         * @param offset the byte's position in the file, from 1
         * @param value  the byte, from 0 to 255
         */
        RuntimeException at(int line, int offset, int value);
    }

    /**
     * The text of {@code bytes}.
     *
     * @throws RuntimeException the one {@code malformed} builds, when a byte is no UTF-8 where it stands
     */
    public static String decode(byte[] bytes, Malformed malformed) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw malformed.at(line, at + 1, bytes[at] & 0xFF);
        }
        return out.flip().toString();
    }

    /** The text without the byte order mark an editor may put before it (Windows' do), which is no part of it. */
    public static String withoutByteOrderMark(String text) {
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
