package dev.ashlar.roundtrip;

import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.kernel.schema.SqlTypes;
import dev.ashlar.plugins.checks.Check;
import dev.ashlar.testing.TestDatabase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Fills a domain's tables with random rows that satisfy its constraints, and reads every row back as
 * text, for the data-preserving round trip. Each table gets one multi-row insert; rows that would break
 * a unique index are skipped ({@code ON CONFLICT DO NOTHING}), and a foreign key takes an id of a row that
 * is there (or its own row's, or null).
 */
final class TableData {
    /** Added to a column's style when it holds no nulls and no repeated values. */
    private static final int TAME = 10;

    private TableData() {
    }

    /** The rows of every table of the round trip's schemas: {@code schema.table} -> id -> column -> text. */
    record Rows(Map<String, Map<String, Map<String, String>>> tables) {
    }

    static void fill(TestDatabase db, Domain domain, List<DomainGenerator.Spec> specs, Random random) {
        Values values = new Values(random);
        Map<String, List<String>> ids = new LinkedHashMap<>();
        for (Resource resource : fillOrder(domain)) {
            DomainGenerator.Spec spec = specs.stream().filter(s -> s.name().equals(resource.name())).findFirst()
                    .orElseThrow();
            String table = Identifiers.qualify(schema(spec), resource.table());
            List<Attribute> attributes = resource.attributes();
            List<String> checked = spec.checks().stream().map(Check::attributes).map(a -> a.get(0)).toList();
            // Per column: a text style, and whether it holds nulls and repeated values (half the columns hold
            // neither, as real columns that a later NOT NULL or unique index will cover do).
            Map<String, Integer> styles = new LinkedHashMap<>();
            attributes.forEach(a -> styles.put(a.name(), values.style() + (random.nextBoolean() ? TAME : 0)));
            int rows = 3 + random.nextInt(25);
            List<String> bound = new ArrayList<>();
            for (int row = 0; row < rows; row++) {
                String id = id(resource, row, random);
                for (Attribute attribute : attributes) {
                    bound.add(value(resource, attribute, id, ids, values, styles, checked, row, random));
                }
            }
            insert(db, table, attributes, rows, bound);
            ids.put(resource.name(), db.query("SELECT id::text AS id FROM " + table).stream()
                    .map(r -> (String) r.get("id")).toList());
        }
    }

    static String schema(DomainGenerator.Spec spec) {
        return DomainGenerator.isTenant(spec) ? RoundTripCatalog.TENANT_SCHEMA : spec.schema();
    }

    /** Referenced resources before those that reference them, as far as cycles allow. */
    private static List<Resource> fillOrder(Domain domain) {
        List<Resource> order = new ArrayList<>();
        List<Resource> left = new ArrayList<>(domain.resources());
        while (!left.isEmpty()) {
            Resource next = left.stream().filter(r -> targets(r).stream().allMatch(t -> t.equals(r.name())
                    || order.stream().anyMatch(o -> o.name().equals(t)) || left.stream().noneMatch(l -> l.name().equals(t))))
                    .findFirst().orElse(left.get(0));
            left.remove(next);
            order.add(next);
        }
        return order;
    }

    private static List<String> targets(Resource resource) {
        return resource.relationships().stream().filter(r -> r instanceof BelongsTo).map(r -> ((BelongsTo) r).destination())
                .toList();
    }

    private static String id(Resource resource, int row, Random random) {
        Type type = resource.primaryKey().get(0).type();
        if (type == Type.UUID) {
            return new java.util.UUID(random.nextLong(), row).toString();
        }
        long max = type == Type.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        return String.valueOf(row == 0 ? max : row == 1 ? -max : row);
    }

    private static String value(Resource resource, Attribute attribute, String id, Map<String, List<String>> ids,
                                Values values, Map<String, Integer> styles, List<String> checked, int row, Random random) {
        if (attribute.name().equals("id")) {
            return id;
        }
        BelongsTo link = resource.relationships().stream().filter(r -> r instanceof BelongsTo b
                && b.attribute().equals(attribute.name())).map(r -> (BelongsTo) r).findFirst().orElse(null);
        if (link != null) {
            List<String> targets = ids.getOrDefault(link.destination(), List.of());
            if (link.destination().equals(resource.name()) && random.nextBoolean()) {
                return id;
            }
            return targets.isEmpty() || random.nextInt(4) == 0 ? null : targets.get(random.nextInt(targets.size()));
        }
        int style = styles.get(attribute.name());
        if (style >= TAME) {
            return values.distinct(attribute.type(), style - TAME, row);
        }
        if (attribute.nullable() && random.nextInt(7) == 0) {
            return null;
        }
        return values.of(attribute.type(), style, checked.contains(attribute.name()), row);
    }

    private static void insert(TestDatabase db, String table, List<Attribute> attributes, int rows, List<String> bound) {
        String columns = String.join(", ", attributes.stream().map(a -> Identifiers.quote(a.name())).toList());
        String tuple = "(" + String.join(", ", attributes.stream().map(a -> "CAST(? AS " + SqlTypes.of(a.type()) + ")")
                .toList()) + ")";
        String sql = "INSERT INTO " + table + " (" + columns + ") VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, tuple)) + " ON CONFLICT DO NOTHING";
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int i = 0; i < bound.size(); i++) {
                if (bound.get(i) == null) {
                    insert.setNull(i + 1, Types.VARCHAR);
                } else {
                    insert.setString(i + 1, bound.get(i));
                }
            }
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not fill " + table + ": " + e.getMessage(), e);
        }
    }

    /** Every row of every table in the round trip's schemas, each value as PostgreSQL prints it. */
    static Rows read(TestDatabase db) {
        Map<String, Map<String, Map<String, String>>> tables = new TreeMap<>();
        for (Map<String, Object> table : db.query("SELECT table_schema || '.' || table_name AS name, "
                + "quote_ident(table_schema) || '.' || quote_ident(table_name) AS sql FROM information_schema.tables "
                + "WHERE table_schema IN (?, ?, ?) AND table_type = 'BASE TABLE' "
                + "AND table_name NOT IN ('ashlar_schema_migrations', 'ashlar_migration_progress')",
                DomainGenerator.SCHEMA, DomainGenerator.OTHER_SCHEMA, RoundTripCatalog.TENANT_SCHEMA)) {
            tables.put((String) table.get("name"), rows(db, "SELECT * FROM " + table.get("sql")));
        }
        return new Rows(tables);
    }

    static Map<String, Map<String, String>> rows(TestDatabase db, String sql) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection connection = db.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql);
             ResultSet result = select.executeQuery()) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                Map<String, String> row = new TreeMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnName(i), result.getString(i));
                }
                rows.put(row.get("id"), row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read " + sql + ": " + e.getMessage(), e);
        }
        return rows;
    }
}
