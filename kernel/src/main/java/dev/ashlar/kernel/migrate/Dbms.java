package dev.ashlar.kernel.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A file's {@code -- dbms:} header, as a Liquibase changeset's {@code dbms} attribute: the kinds of database the file is
 * for ({@code -- dbms: postgresql, h2}), or not for ({@code -- dbms: !oracle}), or {@code all} or {@code none}.
 * Ashlar runs on PostgreSQL alone, so a file whose header leaves out {@code postgresql} is one that a changelog shared
 * with other databases holds for them: every command reads the folder without it. The names are Liquibase's short
 * names; another word is a mistake, refused rather than read as a database the file is not for.
 *
 * @param names the names as written, lower case, each with its {@code !} when negated
 */
public record Dbms(List<String> names) {
    /** Ashlar's database, in Liquibase's words. */
    static final String POSTGRESQL = "postgresql";
    /** Liquibase's short names of the databases it knows, with its two words for every one and for none. */
    static final Set<String> KNOWN = new TreeSet<>(Set.of("all", "none", "asany", "bigquery", "cockroachdb",
            "databricks", "db2", "db2i", "db2z", "derby", "edb", "firebird", "h2", "hana", "hsqldb", "informix",
            "ingres", "mariadb", "mssql", "mysql", "oracle", POSTGRESQL, "redshift", "snowflake", "sqlite", "sybase",
            "teradata", "vertica", "yugabytedb"));
    /** What people write for PostgreSQL that Liquibase does not know. */
    private static final Set<String> POSTGRESQL_LIKE = Set.of("postgres", "pg", "pgsql", "postgre", "postgressql",
            "postgresql-database", "psql");

    public Dbms {
        names = List.copyOf(names);
    }

    /**
     * The header's value: names separated by commas, in any case, each one {@code !} may negate.
     *
     * @return the value, or null with {@code problem} holding why it is none
     */
    static Dbms parse(String value, StringBuilder problem) {
        List<String> names = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            String bare = name.startsWith("!") ? name.substring(1).strip() : name;
            if (bare.isEmpty()) {
                problem.append("has an empty name: write database names separated by commas, e.g. '-- dbms: "
                        + "postgresql' or '-- dbms: !oracle, !mssql'");
                return null;
            }
            if (!KNOWN.contains(bare)) {
                problem.append("names '").append(bare).append("', which is no database Liquibase's dbms knows")
                        .append(POSTGRESQL_LIKE.contains(bare) ? " (PostgreSQL's name there is 'postgresql')" : "")
                        .append(". Write 'postgresql' for a file this database applies, or one of ")
                        .append(String.join(", ", KNOWN)).append(" (a '!' before a name leaves that one out)");
                return null;
            }
            names.add(name.startsWith("!") ? "!" + bare : bare);
        }
        return new Dbms(names);
    }

    /**
     * Whether the file is for PostgreSQL, as Liquibase decides for a database: {@code none} is for no database,
     * {@code all} for every one, {@code !postgresql} leaves it out; a list that names databases is for those alone,
     * and one of negations only is for every database it does not name.
     */
    boolean includesPostgresql() {
        if (names.contains("none")) {
            return false;
        }
        if (names.contains("all")) {
            return true;
        }
        if (names.contains("!" + POSTGRESQL)) {
            return false;
        }
        boolean named = names.stream().anyMatch(name -> !name.startsWith("!"));
        return !named || names.contains(POSTGRESQL);
    }

    /** The header as it reads, normalised ({@code mysql, !h2}). */
    @Override
    public String toString() {
        return String.join(", ", names);
    }
}
