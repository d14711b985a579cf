package dev.ashlar.roundtrip;

import dev.ashlar.plugins.checks.Check;
import dev.ashlar.plugins.checks.CheckConstraints;
import dev.ashlar.plugins.references.Match;
import dev.ashlar.plugins.references.OnDelete;
import dev.ashlar.plugins.references.OnUpdate;
import dev.ashlar.plugins.references.Reference;
import dev.ashlar.plugins.references.References;
import dev.ashlar.plugins.tenancy.Multitenancy;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Identity;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random domains and random changes to them, for the round-trip property test. A domain is kept as
 * plain specs so that a change can rename, retype, add and remove things and say which renames it
 * made (they become hints, as a person would give them).
 */
final class DomainGenerator {
    static final String SCHEMA = "rt";
    /** A second main schema that tables are created in and moved to and from. */
    static final String OTHER_SCHEMA = "rt2";

    /** Types whose values all cast into each other, so any change among them migrates an empty table. */
    private static final List<Type> CASTABLE = List.of(Type.INTEGER, Type.BIGINT, Type.TEXT, Type.varchar(40),
            Type.varchar(12), Type.decimal(10, 2), Type.DECIMAL, Type.DOUBLE);
    private static final List<Type> OTHERS = List.of(Type.BOOLEAN, Type.UUID, Type.DATE, Type.TIMESTAMPTZ, Type.JSON,
            Type.arrayOf(Type.TEXT), Type.TIME, Type.BINARY);

    private static final List<Type> NUMERIC = List.of(Type.INTEGER, Type.BIGINT, Type.decimal(10, 2), Type.DECIMAL,
            Type.DOUBLE);
    private static final List<String> CHECKS = List.of(" > 0", " <> 7", " >= -100");

    private final Random random;
    private final boolean nilifyColumns;
    private final IndexGenerator indexes;
    private int names;

    /** @param nilifyColumns whether the server has {@code SET NULL (columns)} (PostgreSQL 15+) */
    DomainGenerator(Random random, boolean nilifyColumns) {
        this.random = random;
        this.nilifyColumns = nilifyColumns;
        this.indexes = new IndexGenerator(random, CASTABLE);
    }

    record Column(String name, Type type, boolean nullable, Object defaultValue) {
    }

    /**
     * @param references the foreign-key options of belongsTo relationships, by relationship (stale entries are ignored)
     * @param checks     check constraints, each on one numeric column
     * @param schema     the schema of a main resource's table
     * @param extraKey   columns that join {@code id} in a composite primary key (nothing references such a resource)
     * @param timestamps whether the resource has {@code timestamps()}, and with the trigger
     */
    record Spec(String name, String table, String key, List<Column> columns, List<List<String>> identities,
                Map<String, String> belongsTo, Map<String, Reference> references, List<Check> checks,
                List<IndexGenerator.IndexSpec> indexes, List<String> statements, String schema, List<String> extraKey,
                Timestamps timestamps) {
    }

    enum Timestamps { NONE, PLAIN, TRIGGER }

    record Change(List<Spec> specs, List<String> hints) {
    }

    List<Spec> domain() {
        List<Spec> specs = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            specs.add(spec("r" + (names++)));
        }
        for (Spec spec : specs) {
            addBelongsTo(spec, specs);
        }
        return specs;
    }

    private Spec spec(String name) {
        List<Column> columns = new ArrayList<>();
        int count = random.nextInt(5);
        for (int i = 0; i < count; i++) {
            columns.add(column());
        }
        Spec spec = new Spec(name, "t_" + name, List.of("integer", "bigint", "uuid").get(random.nextInt(3)),
                columns, new ArrayList<>(), new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), random.nextInt(5) == 0 ? OTHER_SCHEMA : SCHEMA, new ArrayList<>(),
                timestamps(name, 0));
        if (random.nextInt(6) == 0) {
            toggleKey(spec);
        }
        maybeIdentity(spec);
        maybeCheck(spec);
        indexes.decorate(spec);
        return spec;
    }

    private Column column() {
        boolean castable = random.nextInt(3) > 0;
        Type type = castable ? pick(CASTABLE) : pick(OTHERS);
        return new Column("c" + (names++), type, random.nextBoolean(), random.nextInt(3) == 0 ? defaultFor(type) : null);
    }

    /**
     * A column added to a table that already exists must have a value for the rows there: a required one gets a
     * default, or allows null where its type has none (codegen refuses it otherwise).
     */
    private Column fillable(Column column) {
        if (column.nullable() || column.defaultValue() != null) {
            return column;
        }
        Object value = defaultFor(column.type());
        return new Column(column.name(), column.type(), value == null, value);
    }

    private Object defaultFor(Type type) {
        if (type == Type.BOOLEAN) {
            return random.nextBoolean();
        }
        if (type == Type.INTEGER || type == Type.BIGINT) {
            return random.nextInt(100);
        }
        if (type instanceof Type.Text || type instanceof Type.Decimal || type == Type.DOUBLE) {
            return String.valueOf(random.nextInt(100));
        }
        return null;
    }

    private void maybeIdentity(Spec spec) {
        List<Column> indexable = spec.columns().stream().filter(c -> !OTHERS.contains(c.type()) || c.type() == Type.UUID)
                .toList();
        if (!indexable.isEmpty() && random.nextBoolean()) {
            spec.identities().add(List.of(pick(indexable).name()));
        }
    }

    private void maybeCheck(Spec spec) {
        List<Column> numeric = spec.columns().stream().filter(c -> NUMERIC.contains(c.type())).toList();
        if (!numeric.isEmpty() && random.nextBoolean()) {
            spec.checks().add(check(pick(numeric).name()));
        }
    }

    private Check check(String column) {
        Check check = Check.check("chk_" + column).expression(column + pick(CHECKS)).attributes(column);
        return random.nextBoolean() ? check : check.message("must be right");
    }

    /**
     * Every third resource lives in tenant schemas (context multitenancy); the choice follows the
     * name, so it never changes between A and B. Main resources never reference tenant ones (the
     * tenancy plugin refuses it), and in these domains tenant resources reference tenant ones only.
     */
    static boolean isTenant(Spec spec) {
        return Integer.parseInt(spec.name().substring(1)) % 3 == 2;
    }

    /** A castable column joins the primary key (and becomes not null), or the key's extra columns leave it (and may allow null). */
    private void toggleKey(Spec spec) {
        if (!spec.extraKey().isEmpty()) {
            // A column that leaves the key may then allow null, which PostgreSQL refuses while the key holds it.
            spec.columns().replaceAll(c -> spec.extraKey().contains(c.name()) && random.nextBoolean()
                    ? new Column(c.name(), c.type(), true, c.defaultValue()) : c);
            spec.extraKey().clear();
            return;
        }
        List<Column> candidates = spec.columns().stream().filter(c -> CASTABLE.contains(c.type())).toList();
        if (!candidates.isEmpty()) {
            Column column = pick(candidates);
            spec.columns().set(spec.columns().indexOf(column), new Column(column.name(), column.type(), false,
                    column.defaultValue()));
            spec.extraKey().add(column.name());
        }
    }

    private void addBelongsTo(Spec spec, List<Spec> all) {
        List<Spec> targets = all.stream().filter(t -> isTenant(t) == isTenant(spec) && t.extraKey().isEmpty()).toList();
        if (random.nextInt(3) == 0 && !targets.isEmpty()) {
            Spec target = pick(targets);
            String name = "link_" + target.name();
            spec.belongsTo().put(name, target.name());
            spec.references().put(name, reference(name));
        }
    }

    /** Random options; nilify of a column list only where the server has it, drawn the same way either way. */
    private Reference reference(String relationship) {
        Reference reference = Reference.reference(relationship)
                .onUpdate(pick(List.of(OnUpdate.values())))
                .match(random.nextInt(4) == 0 ? Match.FULL : Match.SIMPLE)
                .index(random.nextInt(4) == 0);
        int onDelete = random.nextInt(5);
        reference = reference.onDelete(onDelete < 4 ? List.of(OnDelete.NOTHING, OnDelete.RESTRICT, OnDelete.DELETE,
                OnDelete.NILIFY).get(onDelete) : nilifyColumns ? OnDelete.nilify(relationship + "_id") : OnDelete.NILIFY);
        boolean deferrable = random.nextBoolean();
        return reference.deferrable(deferrable).initiallyDeferred(deferrable && random.nextBoolean());
    }

    /**
     * The timestamps of a resource, from its name rather than the generator's random numbers, so that the domains
     * drawn stay those drawn before timestamps took part: about one resource in three changes them.
     */
    private static Timestamps timestamps(String seed, int before) {
        int roll = Math.floorMod(seed.hashCode() * 31 + 7, 9);
        return roll < 3 ? Timestamps.values()[(before + 1 + roll % 2) % 3] : Timestamps.values()[before];
    }

    /** A random change: rename, retype, re-null, re-default, add and drop columns, identities, keys and resources. */
    Change change(List<Spec> before) {
        List<Spec> specs = new ArrayList<>();
        List<String> hints = new ArrayList<>();
        for (Spec old : before) {
            if (before.size() > 1 && random.nextInt(8) == 0) {
                continue;
            }
            specs.add(mutate(old, hints));
        }
        if (random.nextInt(4) == 0) {
            Spec fresh = spec("r" + (names++));
            specs.add(fresh);
        }
        for (Spec spec : specs) {
            spec.belongsTo().values().removeIf(target -> specs.stream().noneMatch(s -> s.name().equals(target)
                    && s.extraKey().isEmpty()));
            if (random.nextInt(5) == 0) {
                spec.belongsTo().clear();
                addBelongsTo(spec, specs);
            }
            if (random.nextInt(4) == 0) {
                spec.belongsTo().keySet().forEach(name -> spec.references().put(name, reference(name)));
            }
        }
        return new Change(specs, hints);
    }

    private Spec mutate(Spec old, List<String> hints) {
        String table = random.nextInt(8) == 0 ? old.table() + "_x" + (names++) : old.table();
        String schema = !isTenant(old) && random.nextInt(8) == 0
                ? (old.schema().equals(SCHEMA) ? OTHER_SCHEMA : SCHEMA) : old.schema();
        if (!schema.equals(old.schema())) {
            hints.add(old.schema() + "." + old.table() + "=" + schema + "." + table);
        } else if (!table.equals(old.table())) {
            hints.add(old.table() + "=" + table);
        }
        List<Column> columns = new ArrayList<>();
        for (Column column : old.columns()) {
            int roll = random.nextInt(10);
            if (roll == 0) {
                continue;
            }
            if (roll == 1) {
                String name = "c" + (names++);
                hints.add(table + "." + column.name() + "=" + name);
                column = new Column(name, column.type(), column.nullable(), column.defaultValue());
            } else if (roll == 2 && CASTABLE.contains(column.type())) {
                Type type = pick(CASTABLE);
                column = new Column(column.name(), type, column.nullable(), defaultFor(type));
            } else if (roll == 3) {
                column = new Column(column.name(), column.type(), !column.nullable(), column.defaultValue());
            } else if (roll == 4) {
                column = new Column(column.name(), column.type(), column.nullable(),
                        column.defaultValue() == null ? defaultFor(column.type()) : null);
            }
            columns.add(column);
        }
        Column added = random.nextInt(3) == 0 ? column() : null;
        if (added != null) {
            columns.add(added);
        }
        Spec spec = new Spec(old.name(), table, old.key(), columns, new ArrayList<>(), new LinkedHashMap<>(old.belongsTo()),
                new LinkedHashMap<>(old.references()), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), schema, new ArrayList<>(), timestamps(old.name() + table, old.timestamps().ordinal()));
        Map<String, String> renamed = new LinkedHashMap<>();
        hints.stream().filter(h -> h.startsWith(table + ".") && !h.substring(h.indexOf('=')).contains(".")).forEach(h ->
                renamed.put(h.substring(table.length() + 1, h.indexOf('=')), h.substring(h.indexOf('=') + 1)));
        old.extraKey().stream().map(c -> renamed.getOrDefault(c, c))
                .filter(c -> columns.stream().anyMatch(column -> column.name().equals(c))).forEach(spec.extraKey()::add);
        spec.extraKey().forEach(c -> columns.replaceAll(column -> column.name().equals(c)
                ? new Column(c, column.type(), false, column.defaultValue()) : column));
        if (random.nextInt(8) == 0) {
            toggleKey(spec);
        }
        if (added != null) {
            columns.replaceAll(c -> c.name().equals(added.name()) ? fillable(c) : c);
        }
        for (List<String> identity : old.identities()) {
            List<String> fields = identity.stream().map(f -> renamed.getOrDefault(f, f)).toList();
            if (random.nextInt(4) > 0 && fields.stream().allMatch(f -> columns.stream().anyMatch(c -> c.name().equals(f)))) {
                spec.identities().add(fields);
            }
        }
        if (spec.identities().isEmpty()) {
            maybeIdentity(spec);
        }
        mutateChecks(old, spec, renamed);
        indexes.carry(old, spec, renamed);
        return spec;
    }

    /** Checks follow their column as a person would edit them: renamed with it, dropped when it stops being numeric. */
    private void mutateChecks(Spec old, Spec spec, Map<String, String> renamed) {
        for (Check check : old.checks()) {
            String column = renamed.getOrDefault(check.attributes().get(0), check.attributes().get(0));
            boolean numeric = spec.columns().stream().anyMatch(c -> c.name().equals(column) && NUMERIC.contains(c.type()));
            if (numeric && random.nextInt(5) > 0) {
                spec.checks().add(column.equals(check.attributes().get(0)) && random.nextBoolean() ? check : check(column));
            }
        }
        if (spec.checks().isEmpty()) {
            maybeCheck(spec);
        }
    }

    static Domain build(List<Spec> specs) {
        return build(specs, List.of());
    }

    /**
     * The domain of the specs, listing these extensions. Every fourth resource (by name, so never between A and B)
     * is created with table options.
     */
    static Domain build(List<Spec> specs, List<String> extensions) {
        Domain.Builder domain = Domain.builder("roundtrip").extensions(extensions.toArray(String[]::new));
        for (Spec spec : specs) {
            ResourceBuilder resource = Resource.builder(spec.name()).table(spec.table()).schema(spec.schema());
            if (Integer.parseInt(spec.name().substring(1)) % 4 == 3) {
                resource.createTableOptions("WITH (fillfactor = 90)");
            }
            switch (spec.key()) {
                case "integer" -> resource.integerPrimaryKey("id");
                case "bigint" -> resource.bigintPrimaryKey("id");
                default -> resource.uuidPrimaryKey("id");
            }
            for (Column column : spec.columns()) {
                resource.attribute(column.name(), column.type(), a -> {
                    a.allowNil(column.nullable());
                    if (spec.extraKey().contains(column.name())) {
                        a.primaryKey();
                    }
                    if (column.defaultValue() != null) {
                        a.defaultValue(column.defaultValue());
                    }
                });
            }
            if (spec.timestamps() != Timestamps.NONE) {
                resource.timestamps(t -> {
                    if (spec.timestamps() == Timestamps.TRIGGER) {
                        t.trigger();
                    }
                });
            }
            for (List<String> identity : spec.identities()) {
                // The options follow the fields, so renaming a column also changes (or drops) an identity's options.
                int variant = Math.floorMod(identity.hashCode(), 3);
                resource.identity("u_" + String.join("_", identity), identity, i -> {
                    if (variant == 1) {
                        i.where(Identifiers.quote(identity.get(0)) + " IS NOT NULL");
                    } else if (variant == 2) {
                        i.indexName("ix_" + spec.table() + "_" + String.join("_", identity));
                    }
                });
            }
            spec.belongsTo().forEach(resource::belongsTo);
            resource.with(References.of(spec.belongsTo().keySet().stream()
                    .map(name -> spec.references().getOrDefault(name, Reference.reference(name)))
                    .toArray(Reference[]::new)));
            if (!spec.checks().isEmpty()) {
                resource.with(CheckConstraints.of(spec.checks().toArray(Check[]::new)));
            }
            IndexGenerator.attach(resource, spec);
            if (isTenant(spec)) {
                resource.with(Multitenancy.context());
            }
            domain.resource(resource.build());
        }
        return domain.build();
    }

    static String describe(Domain domain) {
        StringBuilder text = new StringBuilder();
        for (Resource resource : domain.resources()) {
            text.append("  ").append(resource.name()).append(" (").append(resource.table()).append("): ");
            for (Attribute a : resource.attributes()) {
                text.append(a.name()).append(' ').append(a.type()).append(a.nullable() ? "" : " not null")
                        .append(a.defaultValue() == null ? "" : " default " + a.defaultValue()).append(", ");
            }
            resource.identities().stream().map(Identity::fields).forEach(f -> text.append("identity ").append(f).append(", "));
            resource.extensions().forEach(section -> text.append(section).append(", "));
            for (Relationship r : resource.relationships()) {
                if (r instanceof BelongsTo b) {
                    text.append("belongsTo ").append(b.destination()).append(", ");
                }
            }
            resource.extensions().forEach(e -> text.append(e).append(", "));
            text.append('\n');
        }
        return text.toString();
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}
