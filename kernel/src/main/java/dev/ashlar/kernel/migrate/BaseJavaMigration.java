package dev.ashlar.kernel.migrate;

import dev.ashlar.api.error.ErrorCode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link JavaMigration} whose version and name come from its class's simple name, as Flyway's
 * {@code BaseJavaMigration}: {@code V20260101120000__backfill_slugs} has version {@code 20260101120000} and name
 * {@code backfill_slugs}.
 */
public abstract class BaseJavaMigration implements JavaMigration {
    private static final Pattern CLASS_NAME = Pattern.compile("V(\\d{14})__([a-z0-9_]+)");

    private final String version;
    private final String name;

    /** @throws MigrationException when the class's simple name is not {@code V<14 digits>__<lowercase_name>} */
    protected BaseJavaMigration() {
        String simple = getClass().getSimpleName();
        Matcher matcher = CLASS_NAME.matcher(simple);
        if (!matcher.matches()) {
            throw new MigrationException(ErrorCode.MIGRATION, "Java migration " + getClass().getName() + " is not "
                    + "named V<14-digit version>__<lowercase_name>, e.g. V20260101120000__backfill_slugs: rename the "
                    + "class, or implement JavaMigration and return version() and name() yourself.", simple);
        }
        this.version = matcher.group(1);
        this.name = matcher.group(2);
    }

    @Override
    public final String version() {
        return version;
    }

    @Override
    public final String name() {
        return name;
    }
}
