package dev.ashlar.maven;

import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.kernel.layout.PropertiesFile;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The settings of the properties files {@code <configFiles>} names, as Flyway's {@code configFiles}: the database
 * ({@code ashlar.url}, {@code ashlar.user}, {@code ashlar.password}) and placeholders
 * ({@code ashlar.placeholders.NAME}), kept out of the pom. A later file wins over an earlier one.
 *
 * @param settings every setting read, by its key
 */
record ConfigFiles(Map<String, String> settings) {
    private static final Set<String> KEYS = Set.of("ashlar.url", "ashlar.user", "ashlar.password");

    static final ConfigFiles NONE = new ConfigFiles(Map.of());

    ConfigFiles {
        settings = Map.copyOf(settings);
    }

    /**
     * @throws ProjectFileException naming a file that cannot be read, or a key it holds that no goal reads (a typo
     *                              would otherwise leave the goal on its defaults without a word)
     */
    static ConfigFiles read(List<File> files) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (File file : files == null ? List.<File>of() : files) {
            Properties properties = PropertiesFile.read(file.toPath(), "the config file " + file
                    + " that <configFiles> (-Dashlar.configFiles) names");
            for (String key : properties.stringPropertyNames()) {
                if (!KEYS.contains(key) && !key.startsWith(AshlarMojo.PLACEHOLDER_PROPERTY)) {
                    throw ProjectFileException.of(file.toString(), "The config file " + file + " sets " + key
                            + ", which no goal reads: use ashlar.url, ashlar.user, ashlar.password or "
                            + "ashlar.placeholders.NAME");
                }
                settings.put(key, properties.getProperty(key));
            }
        }
        return new ConfigFiles(settings);
    }

    /** The value of {@code key} in the files, or {@code given} when that is set: the pom and -D win over the files. */
    String or(String given, String key) {
        return given != null ? given : settings.get(key);
    }

    /** The placeholders' values the files give. */
    Map<String, String> placeholders() {
        Properties properties = new Properties();
        properties.putAll(settings);
        return AshlarMojo.placeholdersIn(properties);
    }
}
