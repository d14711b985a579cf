package dev.ashlar.kernel.layout;

import dev.ashlar.api.error.ProjectFileException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a project's migrations are read from: a folder ({@code migrations}, {@code filesystem:/srv/app/db})
 * or a location on the class path ({@code classpath:db/ashlar}), such as a folder inside the
 * application's jar. Both give a {@link Path} that the migrator reads the same way, so files, versions
 * and checksums are the same wherever they are packaged.
 *
 * <pre>{@code
 * Project.open(MigrationLocation.resolve("classpath:db/ashlar", App.class.getClassLoader()))
 *         .dataSource(dataSource).migrate();
 * }</pre>
 */
public final class MigrationLocation {
    /** The prefix of a class path location. */
    public static final String CLASSPATH = "classpath:";
    /** The prefix of a folder, optional. */
    public static final String FILESYSTEM = "filesystem:";

    private MigrationLocation() {
    }

    /**
     * The folder a location names. A class path location inside a jar is opened as a read-only view of
     * the jar (kept open for the life of the JVM, as the class loader keeps the jar).
     *
     * @throws ProjectFileException when a class path location is not on the class path
     */
    public static Path resolve(String location, ClassLoader classLoader) {
        if (location.startsWith(FILESYSTEM)) {
            return Path.of(location.substring(FILESYSTEM.length()));
        }
        if (!location.startsWith(CLASSPATH)) {
            return Path.of(location);
        }
        String name = location.substring(CLASSPATH.length()).replaceAll("^/+", "").replaceAll("/+$", "");
        URL url = classLoader.getResource(name);
        if (url == null) {
            throw ProjectFileException.of(location, "The migrations location " + location + " is not on the class "
                    + "path: package the folder " + name + "/ (with migrations/ and tenant_migrations/ inside) into "
                    + "the application, e.g. under src/main/resources/" + name + ", or name a folder instead");
        }
        try {
            URI uri = url.toURI();
            return "jar".equals(uri.getScheme()) ? inJar(uri) : Path.of(uri);
        } catch (URISyntaxException | IOException | RuntimeException e) {
            throw ProjectFileException.of(location, "Cannot read the migrations location " + location + " ("
                    + url + "): " + e.getMessage(), e);
        }
    }

    /** A folder inside a jar: {@code jar:file:/app.jar!/db/ashlar}. */
    private static Path inJar(URI uri) throws IOException {
        String text = uri.toString();
        int separator = text.indexOf("!/");
        URI jar = URI.create(text.substring(0, separator));
        String inside = text.substring(separator + 1);
        try {
            return FileSystems.newFileSystem(jar, Map.of()).getPath(inside);
        } catch (FileSystemAlreadyExistsException e) {
            return FileSystems.getFileSystem(jar).getPath(inside);
        }
    }

    /** Whether a project folder can be written (code generation needs one): a folder inside a jar cannot. */
    public static boolean writable(Path folder) {
        return folder.getFileSystem() == FileSystems.getDefault();
    }
}
