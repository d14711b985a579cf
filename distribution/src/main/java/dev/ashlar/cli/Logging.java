package dev.ashlar.cli;

/**
 * The command's log, through slf4j-simple on standard error: Ashlar's warnings only (its information
 * too under {@code --verbose}, or the level named by {@code ASHLAR_LOG_LEVEL}), other libraries' errors
 * only. A system property given on the {@code java} command line wins. The binding reads these once,
 * when the first logger is made, so the first command of a JVM decides.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    static void configure(boolean verbose) {
        String level = System.getenv("ASHLAR_LOG_LEVEL");
        setIfAbsent("log.dev.ashlar", verbose ? "info" : level == null || level.isBlank() ? "warn" : level);
        // The pool's own report of a failed connection would repeat the error the command prints.
        setIfAbsent("log.com.zaxxer.hikari", verbose ? "info" : "off");
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
