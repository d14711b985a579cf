package dev.ashlar.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import java.lang.reflect.Field;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses a goal's boolean parameter given a value that is neither true nor false. Maven reads any other word as false
 * without a warning: {@code -Dashlar.validateOnMigrate=no} happens to mean what it says, but
 * {@code -Dashlar.skipDefaultCallbacks=yes} would run the callbacks it was meant to skip.
 */
final class BooleanParameters {
    /** A value that is one property's expression: {@code ${ashlar.dryRun}}. */
    private static final Pattern EXPRESSION = Pattern.compile("^\\$\\{([^}]+)}$");

    private BooleanParameters() {
    }

    /**
     * Checks each boolean parameter of {@code goal} that its configuration (the pom's element, or the
     * {@code -Dashlar.NAME} property its default expression reads) sets.
     *
     * @throws MojoFailureException naming the parameter, its property and the value
     */
    static void require(AshlarMojo goal, MojoExecution execution, MavenSession session, MavenProject project)
            throws MojoFailureException {
        Xpp3Dom configuration = execution == null ? null : execution.getConfiguration();
        if (configuration == null) {
            return;
        }
        for (Xpp3Dom child : configuration.getChildren()) {
            if (!isBoolean(goal.getClass(), child.getName()) || child.getValue() == null) {
                continue;
            }
            Matcher expression = EXPRESSION.matcher(child.getValue().strip());
            String value = expression.matches() ? property(expression.group(1), session, project) : child.getValue();
            if (value != null && !value.strip().toLowerCase(Locale.ROOT).matches("true|false")) {
                throw new MojoFailureException("The plugin's <" + child.getName() + "> (-Dashlar." + child.getName()
                        + ") is '" + value + "', which is neither true nor false: Maven would read it as false. Give "
                        + "true or false.");
            }
        }
    }

    /** The property's value as Maven resolves it: -D, then the JVM's, then the pom's {@code <properties>}. */
    private static String property(String name, MavenSession session, MavenProject project) {
        String value = session == null ? null : session.getUserProperties().getProperty(name);
        value = value != null ? value : System.getProperty(name);
        return value != null || project == null ? value : project.getProperties().getProperty(name);
    }

    private static boolean isBoolean(Class<?> type, String name) {
        for (Class<?> each = type; each != null && each != Object.class; each = each.getSuperclass()) {
            for (Field field : each.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    return field.getType() == boolean.class || field.getType() == Boolean.class;
                }
            }
        }
        return false;
    }
}
