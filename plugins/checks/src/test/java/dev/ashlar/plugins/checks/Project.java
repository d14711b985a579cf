package dev.ashlar.plugins.checks;

import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.testing.TestDatabase;
import dev.ashlar.testing.kit.ProjectFolder;

import java.nio.file.Path;

/** A project folder driven like {@code ashlar codegen} and {@code ashlar migrate}, with the checks plugin installed. */
final class Project extends ProjectFolder {
    static final Plugins PLUGINS = Plugins.none().with(new ChecksPlugin());

    Project(Path dir, TestDatabase db) {
        super(dir, db, PLUGINS);
    }

    /** The check's definition as PostgreSQL prints it, e.g. {@code CHECK ((amount > 0))}. */
    Object definition(String constraint) {
        return db().value("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = ?", constraint);
    }
}
