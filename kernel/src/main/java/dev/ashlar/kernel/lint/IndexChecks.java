package dev.ashlar.kernel.lint;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ashlar.kernel.lint.TableChecks.robust;
import static dev.ashlar.kernel.lint.TableChecks.warnIf;

/** The rules for building, dropping and rebuilding indexes. */
final class IndexChecks {
    private static final Pattern CREATE = Pattern.compile("^create (?:unique )?index (concurrently )?(if not exists )?"
            + "(?:(" + Sql.NAME + ") )?on (?:only )?(" + Sql.NAME + ")(?:[ (].*)?$");
    private static final Pattern DROP = Pattern.compile("^drop index (concurrently )?(if exists )?(" + Sql.NAME + ").*$");

    private IndexChecks() {
    }

    static void check(Statement statement, FileState file, Consumer<Rule> warn) {
        Matcher create = statement.match(CREATE);
        Matcher drop = statement.match(DROP);
        if (create != null) {
            boolean concurrently = create.group(1) != null;
            concurrency(concurrently, !file.isNew(create.group(4)), Rule.REQUIRE_CONCURRENT_INDEX_CREATION, file, warn);
            // The migrator drops the invalid index a failed CREATE INDEX CONCURRENTLY leaves and builds it again.
            warnIf(!concurrently && create.group(2) == null && !file.transactional, Rule.PREFER_ROBUST_STMTS, warn);
            if (create.group(3) != null) {
                file.createdIndex(create.group(3));
            }
        } else if (drop != null) {
            concurrency(drop.group(1) != null, !file.isNewIndex(drop.group(3)), Rule.REQUIRE_CONCURRENT_INDEX_DELETION,
                    file, warn);
            robust(drop.group(2), file, warn);
        } else if (statement.code().startsWith("reindex ")) {
            boolean concurrently = statement.code().contains("concurrently");
            concurrency(concurrently, true, Rule.REQUIRE_CONCURRENT_REINDEX, file, warn);
        }
    }

    private static void concurrency(boolean concurrently, boolean existing, Rule plain, FileState file,
                                    Consumer<Rule> warn) {
        if (concurrently) {
            warnIf(file.transactional, Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION, warn);
        } else if (existing) {
            file.locks(warn);
            warn.accept(plain);
        }
    }
}
