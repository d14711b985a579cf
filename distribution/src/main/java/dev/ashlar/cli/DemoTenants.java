package dev.ashlar.cli;

import dev.ashlar.kernel.Ashlar;
import dev.ashlar.kernel.codegen.Codegen;
import dev.ashlar.kernel.diff.Renames;
import dev.ashlar.kernel.tenant.TenantReport;
import dev.ashlar.kernel.project.Project;
import dev.ashlar.kernel.project.TenantSelection;
import dev.ashlar.kernel.plugin.Plugins;
import dev.ashlar.plugins.tenancy.ManageTenant;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.typed.Field;
import dev.ashlar.api.typed.Table;
import dev.ashlar.api.typed.TextField;
import dev.ashlar.spi.schema.Scope;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.List;

import static dev.ashlar.api.typed.Kind.BOOLEAN;
import static dev.ashlar.api.typed.Kind.TEXT;

/**
 * The demo's multitenancy act, the guide's example in Java: an organization resource that manages
 * a schema per tenant, and notes that live in every tenant's schema, both typed resources carrying the
 * tenancy plugin's sections.
 */
final class DemoTenants {
    private final PrintWriter out;
    private final Plugins plugins;

    DemoTenants(PrintWriter out, Plugins plugins) {
        this.out = out;
        this.plugins = plugins;
    }

    /** An organization: creating one creates its tenant schema. */
    record Organization(String id) {
        static final Table<Organization> ORGANIZATIONS = Table.of("organization", Organization.class);
        static final TextField<Organization> ID = ORGANIZATIONS.attribute("id", TEXT, a -> a.primaryKey());
    }

    /** A note, stored in its organization's schema. */
    record Note(Long id, String body) {
        static final Table<Note> NOTES = Table.of("note", Note.class);
        static final Field<Note, Long> ID = NOTES.bigintPrimaryKey("id");
        static final TextField<Note> BODY = NOTES.attribute("body", TEXT, a -> a.notNull());
        static final Field<Note, Boolean> PINNED = NOTES.attribute("pinned", BOOLEAN, a -> a.notNull().defaultValue(false));
    }

    static Domain domain(boolean later) {
        Resource organization = Organization.ORGANIZATIONS.builder().table("organizations").add(Organization.ID)
                .with(ManageTenant.template("org_", "id"))
                .build();
        var note = Note.NOTES.builder().table("notes").add(Note.ID, Note.BODY)
                .with(Multitenancy.context());
        if (later) {
            note.add(Note.PINNED);
        }
        return Domain.builder("workspace").resources(organization, note.build()).build();
    }

    void show(DataSource dataSource, Path project) {
        Project workspace = Project.open(project).dataSource(dataSource).progress(line -> { });
        generate(workspace.domain(domain(false), plugins), "create_workspace");
        workspace.migrate();
        try (Ashlar ashlar = Ashlar.builder().dataSource(dataSource).domain(domain(false))
                .tenantMigrations(workspace.layout().migrations(Scope.TENANT)).build()) {
            for (String org : List.of("acme", "globex", "initech")) {
                ashlar.create(Organization.ORGANIZATIONS, new Organization(org));
            }
            out.println("  created 3 organizations: each got its schema (org_acme, org_globex, org_initech) with a notes "
                    + "table, in the same transaction as its record");
            ashlar.withTenant("org_acme").create(Note.NOTES, new Note(null, "Acme's plan"));
            ashlar.withTenant("org_globex").create(Note.NOTES, new Note(null, "Globex's plan"));
            out.println("  notes as org_acme sees them: " + ashlar.withTenant("org_acme").read(Note.NOTES).list()
                    .stream().map(Note::body).toList());
            try {
                ashlar.read(Note.NOTES).list();
            } catch (AshlarException e) {
                out.println("  a read without a tenant -> " + e.getMessage());
            }
        }
        out.println("  the notes get a 'pinned' flag: ashlar codegen add_pinned, then ashlar migrate --tenants");
        Project pinned = workspace.domain(domain(true), plugins);
        generate(pinned, "add_pinned");
        TenantReport report = pinned.migrateTenants(TenantSelection.all());
        out.printf("  Tenants: %d migrated, %d up to date, %d failed%n", report.migrated(), report.upToDate(),
                report.failed());
    }

    private void generate(Project project, String name) {
        Codegen.Result result = project.generate(name, Renames.none());
        result.files().forEach(file -> out.println("  wrote " + project.layout().root().relativize(file)));
    }
}
