package dev.ashlar.cli;

import picocli.CommandLine.Mixin;

/**
 * A command that reads or changes a database's migration history against the project's files: it takes every option
 * group, the database, the domain and class path (tenants, Java migrations), the placeholders (which repeatable
 * files' checksums and the files that run depend on) and the history table.
 */
abstract class HistoryCommand extends ProjectCommand {
    @Mixin
    DatabaseOptions connection;

    @Mixin
    DomainOptions domain;

    @Mixin
    InitSqlOptions initSql;

    @Mixin
    PlaceholderOptions placeholders;

    @Mixin
    HistoryTableOptions historyTable;
}
