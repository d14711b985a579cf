package dev.ashlar.kernel.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file's {@code -- dbms:} header, as a Liquibase changeset's {@code dbms} attribute: the kinds of database the file is
 * for ({@code -- dbms: postgresql, h2}), or not for ({@code -- dbms: !oracle}), or {@code all} or {@code none}.
 * Ashlar runs on PostgreSQL alone, so a file whose header leaves out {@code postgresql} is one that a changelog shared
 * with other databases holds for them: every command reads the folder without it. The names are Liquibase's short
 * names, and any other one ({@code cassandra}, {@code mongodb}: a database of one of Liquibase's extensions) is a
 * database the file is not for; only a name that looks like a misspelling of {@code postgresql} ({@code postgres},
 * {@code pg}) is refused, as it would silently leave out a file meant for PostgreSQL.
 *
 * @param names the names as written, lower case, each with its {@code !} when negated
 */
public record Dbms(List<String> names) {
    /** Ashlar's database, in Liquibase's words. */
    static final String POSTGRESQL = "postgresql";
    /** What people write for PostgreSQL that Liquibase does not know (and any other name starting so). */
    private static final Set<String> POSTGRESQL_LIKE = Set.of("postgres", "pg", "pgsql", "postgre", "postgressql",
            "postgresql-database", "psql");
    /** A database's short name, as Liquibase's core and extensions spell them. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

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
            if (looksLikePostgresql(bare)) {
                problem.append("names '").append(bare).append("', which Liquibase's dbms takes for another database: "
                        + "PostgreSQL's name there is 'postgresql'. Write 'postgresql' for a file this database "
                        + "applies (a '!' before it leaves PostgreSQL out)");
                return null;
            }
            if (!NAME.matcher(bare).matches()) {
                problem.append("names '").append(bare).append("', which is no database name: write short names as "
                        + "Liquibase's dbms does, e.g. 'postgresql', 'oracle' or '!mssql'");
                return null;
            }
            names.add(name.startsWith("!") ? "!" + bare : bare);
        }
        return new Dbms(names);
    }

    /** A name meant for PostgreSQL but not its Liquibase name: a known misspelling, or one starting as those do. */
    private static boolean looksLikePostgresql(String name) {
        return !name.equals(POSTGRESQL) && (POSTGRESQL_LIKE.contains(name) || name.startsWith("postg")
                || name.startsWith("pgsql") || name.startsWith("psql"));
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
