package dev.ashlar.kernel.layout;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Why a file of the project could not be read or written, in words: the JDK's message of these is the path alone. */
public final class IoReasons {
    private IoReasons() {
    }

    public static String of(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException exists) {
            return "a file is in the way at " + exists.getFile();
        }
        if (e instanceof NoSuchFileException) {
            return "there is no such file or folder";
        }
        if (e instanceof NotDirectoryException) {
            return "a file stands where a folder belongs";
        }
        return e instanceof FileSystemException files && files.getReason() != null ? files.getReason() : e.getMessage();
    }
}
