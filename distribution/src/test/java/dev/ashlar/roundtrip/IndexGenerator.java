package dev.ashlar.roundtrip;

import dev.ashlar.plugins.indexes.CustomIndex;
import dev.ashlar.plugins.indexes.CustomIndexes;
import dev.ashlar.plugins.indexes.CustomStatement;
import dev.ashlar.plugins.indexes.CustomStatements;
import dev.ashlar.roundtrip.DomainGenerator.Column;
import dev.ashlar.roundtrip.DomainGenerator.Spec;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.api.resource.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Random custom indexes and statements for the round trip: unique, partial, covering, hash, GIN,
 * expression and concurrent indexes, a trigger made by statements, and an on-destroy statement.
 */
final class IndexGenerator {
    /** Statement kinds: a trigger (seen by the catalog) and an on-destroy check that its table is gone. */
    static final String TRIGGER = "trigger";
    static final String ON_DESTROY = "on_destroy";

    private final Random random;
    private final List<Type> castable;

    IndexGenerator(Random random, List<Type> castable) {
        this.random = random;
        this.castable = castable;
    }

    /**
     * @param columns    the key columns (one for expression, hash and GIN indexes)
     * @param using      {@code null}, {@code btree}, {@code hash} or {@code gin}
     * @param expression whether the index is on {@code (column IS NULL)} rather than the column: an expression
     *                   that survives any change of the column's type (PostgreSQL re-parses an index's
     *                   expression when the type changes, and {@code lower(column)} would fail on a number)
     */
    record IndexSpec(List<String> columns, boolean unique, boolean partial, String using, List<String> include,
                     boolean expression, boolean concurrently) {
        IndexSpec renamed(Map<String, String> renames) {
            return new IndexSpec(columns.stream().map(c -> renames.getOrDefault(c, c)).toList(), unique, partial, using,
                    include.stream().map(c -> renames.getOrDefault(c, c)).toList(), expression, concurrently);
        }

        List<String> fields() {
            return expression ? List.of("(" + columns.get(0) + " IS NULL)") : columns;
        }
    }

    /** Sometimes adds an index or two and a statement or two to a spec. */
    void decorate(Spec spec) {
        int count = spec.columns().isEmpty() ? 0 : random.nextInt(3);
        for (int i = 0; i < count; i++) {
            add(spec.indexes(), index(spec.columns()));
        }
        for (String kind : List.of(TRIGGER, ON_DESTROY)) {
            if (random.nextInt(5) == 0 && !spec.statements().contains(kind)) {
                spec.statements().add(kind);
            }
        }
    }

    /** Keeps most of an old spec's indexes whose columns survive, and its statements, then maybe adds more. */
    void carry(Spec old, Spec spec, Map<String, String> renames) {
        for (IndexSpec index : old.indexes()) {
            IndexSpec moved = index.renamed(renames);
            boolean survives = Stream.concat(moved.columns().stream(), moved.include().stream())
                    .allMatch(c -> spec.columns().stream().anyMatch(column -> column.name().equals(c)));
            if (survives && random.nextInt(4) > 0) {
                add(spec.indexes(), moved);
            }
        }
        old.statements().stream().filter(kind -> random.nextInt(4) > 0).forEach(spec.statements()::add);
        if (random.nextInt(3) == 0) {
            decorate(spec);
        }
    }

    private IndexSpec index(List<Column> columns) {
        Column first = columns.get(random.nextInt(columns.size()));
        String column = first.name();
        boolean partial = random.nextInt(3) == 0;
        if ((first.type() == Type.JSON || first.type() instanceof Type.Array) && random.nextBoolean()) {
            return new IndexSpec(List.of(column), false, partial, "gin", List.of(), false, false);
        }
        if (castable.contains(first.type()) && random.nextInt(3) == 0) {
            return random.nextBoolean()
                    ? new IndexSpec(List.of(column), random.nextBoolean(), partial, null, List.of(), true, false)
                    : new IndexSpec(List.of(column), false, partial, "hash", List.of(), false, false);
        }
        List<String> key = new ArrayList<>(List.of(column));
        List<String> include = new ArrayList<>();
        Column second = columns.get(random.nextInt(columns.size()));
        if (!second.name().equals(column)) {
            (random.nextBoolean() ? key : include).add(second.name());
        }
        return new IndexSpec(key, random.nextBoolean(), partial, random.nextBoolean() ? "btree" : null, include, false,
                random.nextInt(5) == 0);
    }

    /** Two indexes with the same fields would share a name: keep the first. */
    private static void add(List<IndexSpec> indexes, IndexSpec index) {
        if (indexes.stream().noneMatch(i -> i.fields().equals(index.fields()))) {
            indexes.add(index);
        }
    }

    static void attach(ResourceBuilder resource, Spec spec) {
        if (!spec.indexes().isEmpty()) {
            resource.with(CustomIndexes.of(spec.indexes().stream().map(IndexGenerator::index)
                    .toArray(CustomIndex.Builder[]::new)));
        }
        if (!spec.statements().isEmpty()) {
            resource.with(CustomStatements.of(spec.statements().stream().map(kind -> statement(kind, spec))
                    .toArray(CustomStatement.Builder[]::new)));
        }
    }

    private static CustomIndex.Builder index(IndexSpec spec) {
        CustomIndex.Builder index = CustomIndexes.index(spec.fields().toArray(String[]::new))
                .include(spec.include().toArray(String[]::new));
        if (spec.unique()) {
            index.unique();
        }
        if (spec.partial()) {
            index.where(spec.columns().get(0) + " IS NOT NULL");
        }
        if (spec.using() != null) {
            index.using(spec.using());
        }
        if (spec.concurrently()) {
            index.concurrently();
        }
        return index;
    }

    private static CustomStatement.Builder statement(String kind, Spec spec) {
        String table = spec.table();
        // A tenant table is reached through the tenant schema's search path, never by a fixed schema.
        String prefix = DomainGenerator.isTenant(spec) ? "" : spec.schema() + ".";
        if (kind.equals(ON_DESTROY)) {
            // Cleans up after its table, so it must run once the table is gone.
            return CustomStatements.statement(table + "_after_drop")
                    .up("DO $$ BEGIN IF to_regclass('" + prefix + table + "') IS NOT NULL THEN RAISE EXCEPTION "
                            + "'the on-destroy statement of " + table + " ran before its table was dropped'; END IF; END $$;")
                    .down("SELECT 1;").onDestroy(true);
        }
        String function = prefix + table + "_stamp";
        return CustomStatements.statement(table + "_stamp").up("CREATE FUNCTION " + function + "() RETURNS trigger "
                        + "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER " + table + "_stamp BEFORE "
                        + "INSERT ON " + prefix + table + " FOR EACH ROW EXECUTE FUNCTION " + function + "();")
                .down("DROP TRIGGER " + table + "_stamp ON " + prefix + table + ";\nDROP FUNCTION " + function
                        + "();");
    }
}
