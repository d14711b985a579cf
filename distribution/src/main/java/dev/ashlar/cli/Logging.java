package dev.ashlar.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command's log, through slf4j-simple on standard error: Ashlar's warnings only (its information
 * too under {@code --verbose}, or the level named by {@code ASHLAR_LOG_LEVEL}), other libraries' errors
 * only. A system property given on the {@code java} command line wins. The binding reads these once,
 * when the first logger is made, so the first command of a JVM decides.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    /** Held here: java.util.logging keeps its loggers only weakly, and would forget the level set on it. */
    private static final Logger PGJDBC = Logger.getLogger("org.postgresql");

    private Logging() {
    }

    static void configure(boolean verbose) {
        String level = System.getenv("ASHLAR_LOG_LEVEL");
        setIfAbsent("log.dev.ashlar", verbose ? "info" : level == null || level.isBlank() ? "warn" : level);
        // The pool's own report of a failed connection would repeat the error the command prints.
        setIfAbsent("log.com.zaxxer.hikari", verbose ? "info" : "off");
        // pgjdbc logs through java.util.logging: its warning about a bad URL (a port out of range, say) would
        // print before, and in another format than, the error the command prints.
        PGJDBC.setLevel(verbose ? null : Level.OFF);
        setIfAbsent("defaultLogLevel", "error");
        setIfAbsent("showThreadName", "false");
        setIfAbsent("showLogName", "false");
        setIfAbsent("levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
