package dev.ashlar.kernel.schema;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.kernel.plugin.Tenancies;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Extending;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Names;
import dev.ashlar.spi.schema.Ddl;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaContext;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.OnExistingTable;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The foreign key of a child's table to its parent's in joined inheritance ({@code extending(parent)}): the child's
 * primary key references the parent's, {@code ON DELETE CASCADE}, so that deleting a parent row deletes the child's
 * part of the record with it and no child row exists without its parent's.
 */
public final class JoinedKey {
    private JoinedKey() {
    }

    /**
     * Refuses a child whose tenancy is not its parent's: both tables live in the same schemas (main or every tenant's)
     * and are scoped by the same tenant columns, or one tenant's record could be half another's. Refuses, under tenant
     * columns (stored in the parent's table only), an identity of the child unique per tenant.
     *
     * @throws DefinitionException naming the child, the parent and both tenancies
     */
    public static void checkTenancy(Domain domain, Tenancies tenancies) {
        for (Resource child : domain.resources()) {
            Extending extending = child.tableOptions().extending();
            if (extending == null) {
                continue;
            }
            Resource parent = domain.resource(extending.parent());
            if (tenancies.placement(child) != tenancies.placement(parent)
                    || !tenancies.columns(child).equals(tenancies.columns(parent))) {
                throw DefinitionException.of(child.name(), "extending", "resource '" + child.name() + "' extends '"
                        + parent.name() + "' under another tenancy (" + tenancy(tenancies, child) + ", where '"
                        + parent.name() + "' is " + tenancy(tenancies, parent) + "): give '" + child.name()
                        + "' the same multitenancy section as '" + parent.name() + "'");
            }
            if (!tenancies.columns(child).isEmpty()) {
                child.identities().stream().filter(identity -> !identity.allTenants()).findFirst().ifPresent(identity -> {
                    throw DefinitionException.of(child.name(), identity.name(), "resource '" + child.name()
                            + "' has the identity '" + identity.name() + "', unique per tenant, but it extends '"
                            + parent.name() + "', whose table holds the tenant column(s) " + tenancies.columns(child)
                            + ", and a unique index covers one table: make it unique across tenants with "
                            + "allTenants(), or declare it on '" + parent.name() + "'");
                });
            }
        }
    }

    private static String tenancy(Tenancies tenancies, Resource resource) {
        return tenancies.placement(resource) == dev.ashlar.spi.schema.Scope.TENANT ? "a schema per tenant"
                : tenancies.columns(resource).isEmpty() ? "no tenancy" : "tenant column(s) "
                + tenancies.columns(resource);
    }

    static Optional<SchemaObject> of(SchemaContext context, Domain domain) {
        Resource child = context.resource();
        Extending extending = child.tableOptions().extending();
        if (extending == null) {
            return Optional.empty();
        }
        Resource parent = domain.resource(extending.parent());
        List<String> key = child.primaryKey().stream().map(Attribute::columnName).toList();
        String name = Names.foreignKey(child.table(), String.join("_", key));
        Ddl.AlterTable table = Ddl.alterTable(context.tableSql());
        String body = "FOREIGN KEY (" + Ddl.columnList(key) + ") REFERENCES " + context.tableSql(parent) + " ("
                + Ddl.columnList(key) + ") ON DELETE CASCADE";
        return Optional.of(SchemaObject.builder(name, ObjectKind.FOREIGN_KEY)
                .definition(Map.of("columns", key, "references", parent.table(), "on_delete", "cascade"))
                .up(table.addConstraint(name, body))
                .down(table.dropConstraint(name))
                // Checking the rows of a table that has them would block writes to both tables for the whole scan.
                .onExistingTable(OnExistingTable.validatedLater(table.addConstraintNotValid(name, body),
                        table.dropConstraint(name), table.validateConstraint(name)))
                .build());
    }
}
