package dev.ashlar.roundtrip;

import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.SqlTypes;
import dev.ashlar.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a migration from A to B kept every row of A and every value that B's column can hold: a
 * renamed column carries its values to the new name, and a value whose type changed is compared in the type
 * that decides whether it was kept (the old type, or the new one without its modifier when the old was text:
 * {@code '123'} kept as {@code 123.00} is the same value, {@code '1.234'} as {@code 1.23} is not).
 */
final class KeptValues {
    private KeptValues() {
    }

    static void assertKept(TestDatabase db, TableData.Rows before, TableData.Rows after, List<DomainGenerator.Spec> a,
                           List<DomainGenerator.Spec> b, List<String> hints, Domain domainA, Domain domainB,
                           String context) {
        for (Resource resourceA : domainA.resources()) {
            Optional<Resource> found = domainB.resources().stream().filter(r -> r.name().equals(resourceA.name()))
                    .findFirst();
            if (found.isEmpty()) {
                continue;
            }
            Resource resourceB = found.get();
            String schema = TableData.schema(spec(b, resourceB));
            Map<String, Map<String, String>> oldRows = before.tables().get(TableData.schema(spec(a, resourceA)) + "."
                    + resourceA.table());
            Map<String, Map<String, String>> newRows = after.tables().get(schema + "." + resourceB.table());
            assertThat(newRows).as("table of " + resourceA.name() + " after A->B, " + context).isNotNull();
            assertThat(newRows.keySet()).as("ids of " + resourceA.name() + " after A->B, " + context)
                    .isEqualTo(oldRows.keySet());
            for (Attribute attribute : resourceA.attributes()) {
                String name = renamed(hints, resourceB.table(), attribute.name());
                resourceB.attribute(name).ifPresent(now -> assertColumnKept(db, schema, resourceB, attribute, now,
                        oldRows, context));
            }
        }
    }

    /**
     * Compares in SQL, by the type's own equality: the rows whose new value differs from the old one read as the
     * old type, both taken as the compared type, must be none.
     */
    private static void assertColumnKept(TestDatabase db, String schema, Resource table, Attribute before,
                                         Attribute now, Map<String, Map<String, String>> oldRows, String context) {
        String from = SqlTypes.of(before.type());
        String to = SqlTypes.of(now.type());
        String compared = comparedAs(from, to);
        String column = Identifiers.quote(now.name());
        String sql = "SELECT o.id, o.v AS before, n." + column + "::text AS after FROM unnest(?::text[], ?::text[]) "
                + "AS o(id, v) JOIN " + Identifiers.qualify(schema, table.table()) + " n ON n.id::text = o.id WHERE n."
                + column + "::" + compared + " IS DISTINCT FROM o.v::" + from + "::" + compared;
        List<String> ids = new ArrayList<>(oldRows.keySet());
        List<String> changed = new ArrayList<>();
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql)) {
            select.setArray(1, connection.createArrayOf("text", ids.toArray()));
            select.setArray(2, connection.createArrayOf("text", ids.stream()
                    .map(id -> oldRows.get(id).get(before.name())).toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    changed.add("id " + rows.getString(1) + ": " + rows.getString(2) + " -> " + rows.getString(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not compare " + table.name() + "." + now.name() + ": " + e.getMessage(),
                    e);
        }
        assertThat(changed).as("values of " + table.name() + "." + before.name() + " (" + from + ") changed as "
                + now.name() + " (" + to + "), " + context).isEmpty();
    }

    /** As the generator's guard decides: text is compared in the new type without its modifier. */
    private static String comparedAs(String from, String to) {
        boolean text = from.equals("text") || from.startsWith("varchar");
        return text ? to.replaceAll("\\(.*\\)", "") : from;
    }

    private static DomainGenerator.Spec spec(List<DomainGenerator.Spec> specs, Resource resource) {
        return specs.stream().filter(s -> s.name().equals(resource.name())).findFirst().orElseThrow();
    }

    private static String renamed(List<String> hints, String table, String column) {
        String prefix = table + "." + column + "=";
        return hints.stream().filter(h -> h.startsWith(prefix)).map(h -> h.substring(prefix.length())).findFirst()
                .orElse(column);
    }
}
