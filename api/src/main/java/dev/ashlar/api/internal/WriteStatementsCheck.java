package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.WriteStatements;

import java.util.List;

/**
 * The checks of a resource's {@code createSql}, {@code updateSql} and {@code destroySql} when it is built: each
 * {@code :name} mark names an attribute, the statements that work by key have one to work by, and the create's key
 * is either given by the record or returned by the statement.
 */
public final class WriteStatementsCheck {
    private WriteStatementsCheck() {
    }

    /**
     * @param refusedWith the option the statements cannot go with ({@code readOnly()}, {@code draftable(...)},
     *                    {@code polymorphic(...)}), or null
     * @throws DefinitionException naming the resource and the statement's option, and the mark or option at fault
     */
    public static void check(String resource, WriteStatements statements, List<Attribute> attributes,
                             String refusedWith) {
        if (refusedWith != null) {
            throw DefinitionException.of(resource, null, "resource '" + resource + "' is " + refusedWith + " and "
                    + "names its own write statements (createSql/updateSql/destroySql), which " + refusedWith
                    + " cannot honour: remove one of them");
        }
        List<String> key = attributes.stream().filter(Attribute::primaryKey).map(Attribute::name).toList();
        check(resource, "createSql", statements.create(), attributes, key);
        check(resource, "updateSql", statements.update(), attributes, key);
        check(resource, "destroySql", statements.destroy(), attributes, key);
        if (statements.create() != null && !returns(statements.create())) {
            List<String> marked = marks(statements.create());
            List<String> missing = key.stream().filter(k -> !marked.contains(k)).toList();
            if (!missing.isEmpty()) {
                throw DefinitionException.of(resource, missing.get(0), "createSql(...) of resource '" + resource
                        + "' neither binds the key :" + String.join(", :", missing) + " nor ends with RETURNING it, "
                        + "so the created record could not be read back: write the key's marks (the record gives "
                        + "the key) or end the statement with RETURNING " + String.join(", ", key));
            }
        }
    }

    private static void check(String resource, String option, String sql, List<Attribute> attributes,
                              List<String> key) {
        if (sql == null) {
            return;
        }
        if (sql.isBlank()) {
            throw DefinitionException.of(resource, null, option + "(...) of resource '" + resource + "' is blank: "
                    + "give the statement to run, or leave the option out");
        }
        if (key.isEmpty()) {
            throw DefinitionException.of(resource, null, option + "(...) of resource '" + resource + "' needs a "
                    + "primary key, by which the record is found before and read back after the statement: declare "
                    + "one (primaryKey(...))");
        }
        List<String> names = attributes.stream().map(Attribute::name).toList();
        for (String mark : marks(sql)) {
            if (!names.contains(mark)) {
                throw DefinitionException.of(resource, mark, option + "(...) of resource '" + resource + "' has the "
                        + "mark :" + mark + ", which names no attribute of it; its attributes are " + names);
            }
        }
    }

    /** The distinct names of a statement's {@code :name} marks. */
    public static List<String> marks(String sql) {
        return NamedMarks.of(sql).stream().map(NamedMarks.Mark::name).distinct().toList();
    }

    /** Whether a statement returns rows with a {@code RETURNING} clause (outside strings, names and comments). */
    public static boolean returns(String sql) {
        int i = 0;
        while (i < sql.length()) {
            if (startsWord(sql, i, "returning")) {
                return true;
            }
            i = SqlTokens.skipToken(sql, i, false);
        }
        return false;
    }

    private static boolean startsWord(String sql, int i, String word) {
        int end = i + word.length();
        return sql.regionMatches(true, i, word, 0, word.length())
                && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_')
                && (end == sql.length() || !Character.isLetterOrDigit(sql.charAt(end)) && sql.charAt(end) != '_');
    }
}
