package dev.ashlar.plugins.tenancy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ashlar.testing.TestDatabase;

import java.util.List;

/**
 * A login role that is neither a superuser nor exempt from row-level security, with the rights of an application on
 * the given schemas, and a pool of one connection for it: every action reuses the connection the action before it
 * used, so a setting one action leaves behind is what the next one meets.
 */
final class OrdinaryRole {
    private OrdinaryRole() {
    }

    static HikariDataSource pool(TestDatabase db, String role, List<String> schemas) {
        db.execute("DO $$ BEGIN CREATE ROLE " + role + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$; "
                + "ALTER ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS");
        for (String schema : schemas) {
            db.execute("GRANT USAGE ON SCHEMA " + schema + " TO " + role + "; GRANT SELECT, INSERT, UPDATE, DELETE "
                    + "ON ALL TABLES IN SCHEMA " + schema + " TO " + role + "; GRANT USAGE ON ALL SEQUENCES IN SCHEMA "
                    + schema + " TO " + role);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl().replaceAll("([?&])user=[^&]*", "$1user=" + role));
        config.setUsername(role);
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }
}
