package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.data.Range;
import dev.ashlar.api.error.AshlarException;
import dev.ashlar.api.internal.BindMarks;
import dev.ashlar.api.error.ForbiddenException;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Atomic;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes filters, sort keys and keyset conditions: every value bound, every column quoted by the
 * resource plan. A condition through a relationship becomes a correlated subquery (see
 * {@link RelatedSql}), so parent rows are never repeated.
 */
final class FilterRenderer {
    private static final Codec PATTERN = TextCodec.text(null);
    private static final Codec LQUERY = TextCodec.of("lquery");
    /**
     * A text search configuration, sent untyped: {@code ?::regconfig} is then a parameter of that type, a constant in
     * the plan that an index on {@code to_tsvector('english', body)} matches; sent as text, the cast to regconfig
     * (stable, as it reads the catalog) is made at each row and the index is never used.
     */
    private static final Codec REGCONFIG = TextCodec.of("regconfig");
    /** The row a calculation's expression reads, named for a subquery in it that must tell the row's columns apart. */
    private static final String SELF = Identifiers.quote("self");

    private final ResourcePlan plan;
    private final SqlWriter out;
    private final RelatedSql related;
    private final String qualifier;
    private final List<ColumnPlan> incoming;
    private final FilterRenderer parent;
    /** The arguments the read gives its resource's calculations, by name, for its filter and sorts. */
    private final Map<String, Map<String, Object>> arguments;
    /** Whether the conditions written are under an odd number of NOTs, where a NULL is no longer as good as false. */
    private final boolean negated;

    /**
     * @param related   how to write relationships reached from this resource, or null when the query uses none
     * @param qualifier the prefix of this resource's columns: empty, or an alias and a dot
     */
    FilterRenderer(ResourcePlan plan, SqlWriter out, RelatedSql related, String qualifier) {
        this(plan, out, related, qualifier, null);
    }

    /**
     * A renderer of an upsert's condition over the stored row, where {@link Filter.Incoming} names the value the
     * upsert brings ({@code EXCLUDED}).
     *
     * @param incoming the columns the upsert's records give; null outside an upsert's condition
     */
    FilterRenderer(ResourcePlan plan, SqlWriter out, RelatedSql related, String qualifier, List<ColumnPlan> incoming) {
        this(plan, out, related, qualifier, incoming, null, Map.of(), false);
    }

    private FilterRenderer(ResourcePlan plan, SqlWriter out, RelatedSql related, String qualifier,
                           List<ColumnPlan> incoming, FilterRenderer parent,
                           Map<String, Map<String, Object>> arguments, boolean negated) {
        this.plan = plan;
        this.out = out;
        this.related = related;
        this.qualifier = qualifier;
        this.incoming = incoming;
        this.parent = parent;
        this.arguments = arguments;
        this.negated = negated;
    }

    /**
     * This renderer, where {@link Filter.Parent} names a field of the given row: the one the relationship is followed
     * from, its columns qualified; null where there is none (a read's own filter).
     */
    FilterRenderer under(FilterRenderer parent) {
        return new FilterRenderer(plan, out, related, qualifier, incoming, parent, arguments, negated);
    }

    /**
     * This renderer, where a filter or sort naming one of the resource's calculations reads it with the arguments
     * the read gives it (the others, and calculations named by other calculations, at their defaults).
     */
    FilterRenderer given(Map<String, Map<String, Object>> calculations) {
        if (calculations.isEmpty() && arguments.isEmpty()) {
            return this;
        }
        return new FilterRenderer(plan, out, related, qualifier, incoming, parent, calculations, negated);
    }

    /**
     * The arguments the read gives through a relationship ({@code "author.full_name"}), named as the related
     * resource's own ({@code "full_name"}), for a renderer of its records.
     */
    Map<String, Map<String, Object>> argumentsPast(String relationship) {
        if (arguments.isEmpty()) {
            return Map.of();
        }
        String prefix = relationship + ".";
        Map<String, Map<String, Object>> past = new HashMap<>();
        arguments.forEach((name, values) -> {
            if (name.startsWith(prefix)) {
                past.put(name.substring(prefix.length()), values);
            }
        });
        return past;
    }

    /** This renderer, its conditions written as under a NOT: a to-one path's comparison stays NULL without a record. */
    FilterRenderer negated() {
        return new FilterRenderer(plan, out, related, qualifier, incoming, parent, arguments, true);
    }

    /** A renderer of the top-level resource's own conditions. */
    FilterRenderer(ResourcePlan plan, SqlWriter out) {
        this(plan, out, null, "");
    }

    ResourcePlan plan() {
        return plan;
    }

    SqlWriter out() {
        return out;
    }

    /** The row {@link Filter.Parent} names in this renderer's filters, null where there is none. */
    FilterRenderer parent() {
        return parent;
    }

    /**
     * The SQL of the parent's field a parent reference names, and its column: for a comparison that writes its own
     * side ({@code parent("title")} against a key inside a JSON element).
     *
     * @throws QueryException when no parent encloses the filter, or it has no such attribute
     */
    ColumnPlan parentOperand(Filter.Parent ref, StringBuilder sql) {
        sql.append(parentColumn(ref));
        return parentRow(ref).plan.column(ref.field());
    }

    /** The prefix of this resource's columns: empty for the statement's own table, else an alias and a dot. */
    String qualifier() {
        return qualifier;
    }

    /** The fields the field policies of this resource hide from the action's actor; empty for none. */
    Map<String, Filter> masks() {
        return related == null ? Map.of() : related.masks(plan.name());
    }

    /** A column of this resource as the SQL around it must name it. */
    String column(ColumnPlan column) {
        return qualifier.isEmpty() ? column.quoted() : qualifier + column.quoted();
    }

    String column(String field) {
        return column(plan.column(field));
    }

    /** The column as it is compared, sorted and grouped ({@link ColumnPlan#compared}). */
    String compared(ColumnPlan column) {
        return column.readCompared(qualifier);
    }

    void filter(Filter filter) {
        if (out.junction(filter, this::filter)) {
            return;
        }
        if (filter instanceof Filter.Not not) {
            out.append("NOT (");
            new FilterRenderer(plan, out, related, qualifier, incoming, parent, arguments, !negated)
                    .filter(not.filter());
            out.append(")");
        } else if (filter instanceof Filter.Exists exists) {
            relations().exists(this, exists.relationship(), exists.filter());
        } else if (filter instanceof Filter.Count count) {
            relations().count(this, count);
        } else if (filter instanceof Filter.Raise raise) {
            raise(raise);
        } else if (filter instanceof Filter.RowIn row) {
            rowIn(row);
        } else {
            leaf(filter);
        }
    }

    /**
     * {@code ("a", "b") IN (SELECT * FROM unnest(?::integer[], ?::text[]))}: one array of each field's values, so any
     * number of rows is one statement of the same shape, every value bound. The row comparison is PostgreSQL's own, nulls
     * and all.
     */
    private void rowIn(Filter.RowIn row) {
        List<ColumnPlan> columns = new ArrayList<>();
        out.append("(");
        for (String field : row.fields()) {
            out.append(columns.isEmpty() ? "" : ", ");
            ColumnPlan column = operand(field);
            requireScalar(column, "rowIn");
            columns.add(column);
        }
        out.append(") IN (SELECT * FROM unnest(");
        for (int i = 0; i < columns.size(); i++) {
            int at = i;
            List<Object> values = new ArrayList<>(row.rows().size());
            row.rows().forEach(r -> values.add(r.get(at)));
            out.append(i == 0 ? "" : ", ")
                    .bindCompared(plan.comparedValue(columns.get(i), columns.get(i).listCodec(), values));
        }
        out.append("))");
    }

    /** {@code (CASE WHEN <condition> THEN <fail> ELSE TRUE END)}: see {@link Refusal}. */
    private void raise(Filter.Raise raise) {
        out.append(raise.when() == null ? "(" : "(CASE WHEN ");
        if (raise.when() != null) {
            new FilterRenderer(plan, out, related, qualifier, incoming, parent, arguments, false).filter(raise.when());
            out.append(" THEN ");
        }
        out.append(Refusal.FAIL);
        if (raise.detailed()) {
            Refusal.writeDetailed(out, plan.name(), raise, this::column);
        } else {
            out.bind(PATTERN, Refusal.value(raise.message()));
        }
        out.append(Refusal.FAILED).append(raise.when() == null ? ")" : " ELSE TRUE END)");
    }

    private void leaf(Filter filter) {
        String field = FilterPaths.field(filter);
        int dot = field.indexOf('.');
        CompositeField composite = dot > 0 ? CompositeField.of(plan, field) : null;
        JsonPath json = dot > 0 && composite == null ? JsonPath.of(plan, field) : null;
        Filter.Exists throughRef = FilterPaths.throughRef(filter, plan::hasAttribute);
        if (composite != null) {
            composite.filter(this, filter);
        } else if (json != null) {
            json.filter(this, filter);
        } else if (dot > 0 && isNil(filter) && relations().toOne(this, field)) {
            // Nil through to-one relationships is what a left join reads (as Ash, jOOQ and Ebean do, and as a sort
            // by the path orders it): no related record, or one without the value.
            out.append("NOT ");
            relations().exists(this, field.substring(0, dot), new Filter.IsNil(field.substring(dot + 1), false),
                    parent);
        } else if (dot > 0 && negated && relations().toOne(this, field)) {
            // Under NOT a comparison with no related record must stay NULL, as over Ash's left join, not turn TRUE.
            relations().toOneValue(this, field, filter, parent);
        } else if (dot > 0) {
            // A path is not a new level: parent(...) in it still names this row's parent, as in Ash.
            relations().exists(this, field.substring(0, dot), FilterPaths.withField(filter, field.substring(dot + 1)),
                    parent);
        } else if (throughRef != null) {
            relations().exists(this, throughRef.relationship(), throughRef.filter());
        } else if (filter instanceof Filter.Compare compare && compare.value() instanceof Filter.Parent ref
                && ref.field().indexOf('.') > 0) {
            parentPath(compare, ref);
        } else if (filter instanceof Filter.Compare compare) {
            compare(compare);
        } else if (filter instanceof Filter.In in) {
            ColumnPlan column = operand(in.field());
            requireScalar(column, "in");
            out.inList(plan.comparedValue(column, column.listCodec(), in.values()), in.values().size());
        } else if (filter instanceof Filter.IsNil isNil) {
            operand(isNil.field());
            out.append(isNil.nil() ? " IS NULL" : " IS NOT NULL");
        } else if (filter instanceof Filter.Like like) {
            like(like);
        } else if (filter instanceof Filter.Sql sql) {
            handWritten(sql);
        } else if (filter instanceof Filter.RangeCompare range) {
            ColumnPlan column = rangeOperand(range.field(), range.operator().method());
            out.append(" ").append(range.operator().sql()).append(" ");
            bindCast(column, column.codec(), range.range());
        } else if (filter instanceof Filter.PathCompare path) {
            path(path);
        } else if (filter instanceof Filter.ArrayCompare array) {
            ColumnPlan column = operandOf(array.field());
            if (!(column.codec() instanceof ArrayCodec)) {
                throw invalid(column, array.operator().method() + " needs an array attribute (Type.arrayOf(...))"
                        + (column.codec() instanceof RangeCodec ? "; for a range, overlaps or containedBy" : ""));
            }
            operand(array.field());
            out.append(" ").append(array.operator().sql()).append(" ");
            bindCast(column, column.codec(), array.values());
        } else if (filter instanceof Filter.TextSearch search) {
            textSearch(search);
        } else {
            contains((Filter.Contains) filter);
        }
    }

    /** {@code isNil(field)}, or {@code eq(field, null)}, which means the same. */
    private static boolean isNil(Filter filter) {
        return filter instanceof Filter.IsNil isNil ? isNil.nil()
                : filter instanceof Filter.Compare compare && compare.operator() == Filter.Operator.EQ
                && compare.value() == null;
    }

    private RelatedSql relations() {
        if (related == null) {
            throw new IllegalStateException("relationships of " + plan.name() + " were not scoped before rendering");
        }
        return related;
    }

    private void compare(Filter.Compare compare) {
        ColumnPlan column = operand(compare.field());
        if (compare.value() == null) {
            switch (compare.operator()) {
                case EQ -> out.append(" IS NULL");
                case NE -> out.append(" IS NOT NULL");
                default -> throw invalid(column, compare.operator() + " cannot compare with null; use isNil/notNil");
            }
            return;
        }
        if (compare.value() instanceof Filter.Ref || compare.value() instanceof Filter.Incoming
                || compare.value() instanceof Filter.Parent) {
            if (compare.value() instanceof Filter.Ref ref) {
                refuseOtherKind(column, operandOf(ref.field()), "ref(\"" + ref.field() + "\")");
            }
            String other = reference(compare.value());
            if (compare.value() instanceof Filter.Parent ref) {
                refuseOtherKind(column, parentRow(ref).plan.column(ref.field()), written(ref));
            }
            out.append(" ").append(compare.operator().sql()).append(" ").append(other);
            return;
        }
        out.append(" ").append(compare.operator().sql()).append(" ");
        if (column.codec() instanceof CompositeCodec composite) {
            compositeValue(column, composite, compare.value());
            return;
        }
        if (column.codec() instanceof ArrayCodec) {
            // PostgreSQL has no integer[] = bigint[]: a list is compared as the attribute's own array type only, and
            // one holding an element past its bounds is refused naming the field, as in a write.
            out.bindCompared(new Bind(column.codec(), plan.filterValue(column, column.codec(), compare.value())));
            return;
        }
        out.bind(plan.comparedValue(column, column.codec(), compare.value()));
    }

    /**
     * {@code ROW(?::numeric, ?::text)}, a field a bind: compared with a stored value as PostgreSQL compares composite
     * values, which needs each field of the type it has in the stored one.
     */
    private void compositeValue(ColumnPlan column, CompositeCodec composite, Object value) {
        List<Bind> fields;
        try {
            fields = composite.fieldBinds(value);
        } catch (Codec.RejectedValue e) {
            throw invalid(column, "the value " + e.getMessage());
        }
        out.append("ROW(");
        for (int i = 0; i < fields.size(); i++) {
            Codec codec = fields.get(i).codec();
            out.append(i == 0 ? "" : ", ").bind(codec, fields.get(i).value()).append("::").append(codec.castType());
        }
        out.append(")");
    }

    /** The field a comparison's value names: another of the same record, the parent's, or the one an upsert brings. */
    private String reference(Object value) {
        if (value instanceof Filter.Ref ref) {
            return compared(plan.column(ref.field()));
        }
        if (value instanceof Filter.Parent ref) {
            return parentColumn(ref);
        }
        ColumnPlan column = plan.column(((Filter.Incoming) value).field());
        if (incoming == null) {
            throw QueryException.of(plan.name(), column.name(), "incoming(\"" + column.name() + "\") is the value an "
                    + "upsert brings for " + plan.name() + "." + column.name() + ": it only works in the condition of "
                    + "an upsert, Upsert.where(...), and in its changes, Upsert.set(...), not in this filter or change");
        }
        if (!incoming.contains(column)) {
            throw QueryException.of(plan.name(), column.name(), "An upsert of " + plan.name() + " reads the "
                    + "incoming '" + column.name() + "', but a record does not give it: it would be the column's "
                    + "default or NULL. Give '" + column.name() + "' in every record");
        }
        // The row the upsert proposes, as written: read as the stored row it is compared with is read.
        return column.readCompared("EXCLUDED.");
    }

    /**
     * Writes what a leaf tests: an attribute's column, or a declared aggregate's or calculation's subquery; returns
     * the column, or the derived field's values as one, whose codec binds the values compared with it.
     */
    private ColumnPlan operand(String field) {
        DerivedPlan derived = derivedOf(field);
        if (derived != null) {
            loaded(derived);
            return derived.value();
        }
        ColumnPlan column = plan.column(field);
        out.append(compared(column));
        return column;
    }

    /** The column a leaf tests, or a derived field's values as one, without writing it. */
    private ColumnPlan operandOf(String field) {
        DerivedPlan derived = derivedOf(field);
        return derived != null ? derived.value() : plan.column(field);
    }

    private DerivedPlan derivedOf(String field) {
        return related == null ? null : related.derived(plan.name(), field);
    }

    /**
     * {@code eq("score", parent("post.score"))}, Ash's {@code parent(post.score)}: the comparison turned round and
     * written from the parent's row, which follows the path, with this row as the parent of its end
     * ({@code EXISTS (SELECT 1 FROM "posts" AS "r2" WHERE "r2"."id" = "p0"."post_id" AND "r2"."score" = "r0"."score")};
     * under a NOT, a to-one path's value, as for any path).
     */
    private void parentPath(Filter.Compare compare, Filter.Parent ref) {
        FilterRenderer row = parentRow(ref);
        Filter turned = FilterPaths.turnedRound(new Filter.Compare(ref.field(), compare.operator(),
                new Filter.Parent(compare.field(), 1)));
        new FilterRenderer(row.plan, out, relations(), row.qualifier, row.incoming, this, row.arguments, negated)
                .filter(turned);
    }

    private String parentColumn(Filter.Parent ref) {
        FilterRenderer row = parentRow(ref);
        if (!row.plan.layout().fields().contains(ref.field())) {
            throw QueryException.of(row.plan.name(), ref.field(), written(ref) + " in a filter on " + plan.name()
                    + " names a field of its parent " + row.plan.name() + ", which has no attribute '" + ref.field()
                    + "'" + ClosestName.hint(ref.field(), row.plan.layout().fields()) + "; its attributes are "
                    + row.plan.layout().fields());
        }
        return row.compared(row.plan.column(ref.field()));
    }

    private static String written(Filter.Parent ref) {
        return "parent(\"" + ref.field() + (ref.levels() == 1 ? "\")" : "\", " + ref.levels() + ")");
    }

    /** The row a parent reference names: the one its number of levels up, refused where fewer enclose the filter. */
    private FilterRenderer parentRow(Filter.Parent ref) {
        FilterRenderer row = this;
        for (int level = 0; level < ref.levels() && row != null; level++) {
            row = row.parent;
        }
        if (row == null && ref.levels() == 1) {
            throw QueryException.of(plan.name(), ref.field(), written(ref) + " in a filter on " + plan.name()
                    + " names a field of the record a relationship is followed from: it only works inside a "
                    + "relationship's filter, exists(...), count(...) or a load's filter, not in a read's own filter");
        }
        if (row == null) {
            throw QueryException.of(plan.name(), ref.field(), written(ref) + " in a filter on " + plan.name()
                    + " names a field of the record " + ref.levels() + " relationships up, but fewer records "
                    + "enclose this filter: each relationship's filter, exists(...), count(...) or load around it is one level");
        }
        return row;
    }

    /**
     * A condition in SQL: its text as written, each {@code ?} bound to its value with the value's own type (a list as
     * one array, {@link SqlListValue}), or, in an upsert, the incoming value a {@link Filter.Incoming} names.
     */
    void sql(Filter.Sql sql) {
        String text = sql.sql();
        int value = 0;
        int start = 0;
        out.append("(");
        for (int i : BindMarks.of(text)) {
            Object bound = sql.values().get(value++);
            out.append(text.substring(start, i));
            if (bound instanceof Filter.Incoming) {
                out.append(reference(bound));
            } else if (bound instanceof List<?> list && plan.converted(list) == null) {
                out.bind(SqlListValue.bind(plan, sql, value, list, text.substring(i + 1)));
            } else if (bound instanceof CalculationPlan.Argument argument) {
                out.bind(argument.codec(), argument.value() == null ? null
                        : sqlValue(sql, value, argument.codec(), argument.value()));
            } else {
                Codec converted = plan.converted(bound);
                Codec codec = converted != null ? converted : Codecs.forValue(plan.name(), bound);
                out.bind(codec, sqlValue(sql, value, codec, bound));
            }
            start = i + 1;
        }
        out.append(text.substring(start)).append(")");
    }

    /** The value of the {@code number}th {@code ?} of a condition in SQL, checked like a value of its type. */
    private Object sqlValue(Filter.Sql sql, int number, Codec codec, Object value) {
        try {
            return codec.toDatabase(value);
        } catch (Codec.RejectedValue e) {
            throw QueryException.of(plan.name(), null, SqlListValue.describe(plan, sql, number) + " "
                    + e.getMessage() + "; remove it from the value");
        }
    }

    private void like(Filter.Like like) {
        ColumnPlan column = operand(like.field());
        if (!(column.codec() instanceof TextCodec)) {
            // A converted attribute stored as text (a URI) is no text attribute: its values are of the Java type.
            throw invalid(column, "like, ilike, startsWith, endsWith and the IgnoreCase filters need a text "
                    + "attribute, and " + column.name() + " is " + (column.attribute().converter() == null
                    ? column.codec().castType() : "stored as " + column.codec().castType() + " by "
                    + column.attribute().converter() + ", whose values are " + column.attribute().converter()
                    .javaType().getSimpleName() + "s") + ": compare it with eq, in or a range");
        }
        refuseNativeEnum(column, "like/ilike");
        if (endsWithEscape(like.pattern())) {
            // PostgreSQL refuses it, naming no column: "LIKE pattern must not end with escape character".
            throw invalid(column, "the pattern '" + like.pattern() + "' ends with the escape character \\, which "
                    + "escapes nothing: write \\\\ for a backslash (Filter.escapeLike does), or match text as written "
                    + "with contains, startsWith or endsWith");
        }
        asText(column);
        out.append(like.caseInsensitive() ? " ILIKE " : " LIKE ")
                .bind(PATTERN, plan.filterValue(column, PATTERN, like.pattern()));
    }

    /** Whether a LIKE pattern ends with a backslash that no backslash before it escapes. */
    private static boolean endsWithEscape(String pattern) {
        int backslashes = 0;
        for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private void contains(Filter.Contains contains) {
        ColumnPlan column = operandOf(contains.field());
        if (!(column.codec() instanceof ArrayCodec) && !(column.codec() instanceof TextCodec)
                && !(column.codec() instanceof RangeCodec)) {
            throw invalid(column, "contains needs an array, a text or a range attribute");
        }
        if (contains.element() == null) {
            throw invalid(column, "contains cannot look for null");
        }
        if (contains.element() instanceof Filter.Parent ref) {
            containsParent(contains.field(), column, ref);
            return;
        }
        if (column.codec() instanceof RangeCodec range) {
            operand(contains.field());
            out.append(" @> ");
            bindCast(column, contains.element() instanceof Range<?> ? range : range.element(), contains.element());
            return;
        }
        if (column.codec() instanceof TextCodec) {
            refuseNativeEnum(column, "contains");
            // strpos, not LIKE: the text is matched as it is, with no % or _ to escape; citext's own is case-blind,
            // and is the one chosen only for a value sent untyped, as the column's codec sends it (as varchar,
            // strpos(text, text) would compare with case).
            Codec needle = "citext".equals(column.codec().castType()) ? column.codec() : PATTERN;
            out.append("strpos(");
            operand(contains.field());
            asText(column);
            out.append(", ").bind(needle, plan.filterValue(column, needle, contains.element())).append(") > 0");
            return;
        }
        operand(contains.field());
        out.append(" @> ");
        bindCast(column, column.codec(), Collections.singletonList(contains.element()));
    }

    /**
     * {@code contains("bio", parent("name"))}, Ash's {@code contains(bio, parent(name))}: a text attribute holds the
     * parent's text field anywhere in it, {@code strpos(bio, <parent's name>) > 0}.
     */
    private void containsParent(String field, ColumnPlan column, Filter.Parent ref) {
        if (!(column.codec() instanceof TextCodec) || ref.field().indexOf('.') > 0) {
            throw invalid(column, "contains(\"" + column.name() + "\", " + written(ref) + ") looks for a field of the "
                    + "parent itself inside a text attribute; an array or range attribute, or a parent's field through "
                    + "its relationships, takes a value");
        }
        String needle = parentColumn(ref);
        ColumnPlan parentColumn = parentRow(ref).plan.column(ref.field());
        if (!(parentColumn.codec() instanceof TextCodec)) {
            throw invalid(column, "contains(\"" + column.name() + "\", " + written(ref) + ") looks for text, and '"
                    + ref.field() + "' of the parent is " + parentColumn.codec().castType() + "; name a text field");
        }
        refuseNativeEnum(column, "contains");
        TextCodec searched = (TextCodec) column.codec();
        TextCodec sought = (TextCodec) parentColumn.codec();
        // strpos has no overload for an enum, ltree or inet parent: its text form is looked for. Citext on either side
        // compares without case, as it does against a value: strpos(citext, text) would pick text's and keep case.
        String caseless = searched.caseInsensitive() || sought.caseInsensitive() ? "::citext" : "";
        String soughtText = sought.checkedByServer() || sought.enumType() != null ? "::text" : "";
        out.append("strpos(");
        operand(field);
        asText(column);
        out.append(searched.caseInsensitive() ? "" : caseless).append(", ").append(needle).append(soughtText)
                .append(sought.caseInsensitive() ? "" : caseless).append(") > 0");
    }

    /**
     * {@code to_tsvector(?::regconfig, field) @@ websearch_to_tsquery(?::regconfig, ?)}, or the {@code tsvector} column
     * itself: the configuration is bound, and the server refuses one it does not know, naming it.
     */
    private void textSearch(Filter.TextSearch search) {
        ColumnPlan column = operandOf(search.field());
        boolean vector = "tsvector".equalsIgnoreCase(column.codec().castType());
        if (!vector && !(column.codec() instanceof TextCodec)) {
            throw invalid(column, "textSearch and plainTextSearch need a text or tsvector attribute, and "
                    + column.name() + " is " + column.codec().castType());
        }
        if (!vector) {
            out.append("to_tsvector(").bind(REGCONFIG, search.config()).append("::regconfig, ");
        }
        operand(search.field());
        if (!vector) {
            asText(column);
            out.append(")");
        }
        out.append(" @@ ").append(search.function()).append("(").bind(REGCONFIG, search.config())
                .append("::regconfig, ").bind(PATTERN, search.search()).append(")");
    }

    /** {@code path @> ?::ltree}, {@code <@}, or {@code path ~ ?::lquery}: bound with a cast, as the operators are many. */
    private void path(Filter.PathCompare path) {
        ColumnPlan column = operandOf(path.field());
        if (!(column.codec() instanceof LtreeCodec ltree)) {
            throw invalid(column, "ancestorOf, descendantOf and matches need an ltree attribute (Type.LTREE)");
        }
        operand(path.field());
        out.append(" ").append(path.operator().sql()).append(" ");
        bindCast(column, path.operator() == Filter.PathOperator.MATCHES ? LQUERY : ltree.anyLength(), path.path());
    }

    /** Writes a range attribute, refusing any other: the range operators have no meaning for it. */
    private ColumnPlan rangeOperand(String field, String operator) {
        ColumnPlan column = operandOf(field);
        if (!(column.codec() instanceof RangeCodec)) {
            throw invalid(column, operator + " needs a range attribute (Type.rangeOf(...))");
        }
        return operand(field);
    }

    /**
     * Binds a value cast to the codec's type: beside a range the server could read an untyped value as a range or
     * as an element ("operator is not unique: int4range @> unknown").
     */
    private void bindCast(ColumnPlan column, Codec codec, Object value) {
        out.bind(codec, plan.filterValue(column, codec, value)).append("::").append(codec.castType());
    }

    /** {@code ORDER BY} terms, each an attribute or a relationship's subquery; {@code reverse} flips them all. */
    void orderBy(List<Sort> sorts, boolean reverse) {
        orderBy(sorts, reverse, java.util.Set.of());
    }

    /** Like {@link #orderBy(List, boolean)}, where a sort may name a computed field of the select by its name. */
    void orderBy(List<Sort> sorts, boolean reverse, java.util.Set<String> computed) {
        keys(sorts, reverse, computed, " ORDER BY ");
    }

    /** More sort keys after those of an {@code ORDER BY} already written (by another row's renderer). */
    void thenBy(List<Sort> sorts) {
        keys(sorts, false, java.util.Set.of(), ", ");
    }

    private void keys(List<Sort> sorts, boolean reverse, java.util.Set<String> computed, String opening) {
        for (int i = 0; i < sorts.size(); i++) {
            Sort sort = sorts.get(i);
            boolean ascending = (sort.direction() == Sort.Direction.ASC) != reverse;
            out.append(i == 0 ? opening : ", ");
            if (!sort.byExpression() && computed.contains(sort.field()) && !sort.count()) {
                out.append(dev.ashlar.api.sql.Identifiers.quote(sort.field()));
            } else {
                sortKey(sort);
            }
            out.append(ascending ? " ASC" : " DESC");
            if (sort.nulls() != Sort.Nulls.DEFAULT) {
                boolean first = (sort.nulls() == Sort.Nulls.FIRST) != reverse;
                out.append(first ? " NULLS FIRST" : " NULLS LAST");
            }
        }
    }

    /** The value a sort key orders by. */
    void sortKey(Sort sort) {
        if (sort.byExpression()) {
            // A condition sorts as the filter reads it, a null (title = ? on a null title) as not holding.
            boolean condition = !(sort.expression() instanceof Filter.Sql);
            out.append("(");
            filter(sort.expression());
            out.append(condition ? ") IS TRUE" : ")");
        } else if (sort.count()) {
            relations().countKey(this, sort.field());
        } else if (sort.field().indexOf('.') > 0) {
            CompositeField composite = CompositeField.of(plan, sort.field());
            JsonPath json = composite == null ? JsonPath.of(plan, sort.field()) : null;
            if (composite != null) {
                composite.value(this);
            } else if (json != null) {
                json.sortKey(this);
            } else {
                relations().pathKey(this, sort.field());
            }
        } else {
            operand(sort.field());
        }
    }

    /** The value of a declared aggregate or calculation of this resource, in a select list or where a column goes. */
    void derived(DerivedPlan derived) {
        derived(derived, Map.of());
    }

    /** A derived field the read loads: a calculation with the arguments the read gives it ({@link #given}). */
    void loaded(DerivedPlan field) {
        derived(field, arguments.getOrDefault(field.name(), Map.of()));
    }

    /** {@link #derived(DerivedPlan)} with the arguments a read gives a calculation, the others at their defaults. */
    void derived(DerivedPlan derived, Map<String, ?> arguments) {
        if (derived instanceof AggregatePlan aggregate && !arguments.isEmpty()) {
            throw QueryException.of(plan.name(), aggregate.name(), "'" + aggregate.name() + "' of " + plan.name()
                    + " is an aggregate, which takes no arguments; load it with load(\"" + aggregate.name() + "\")");
        } else if (derived instanceof AggregatePlan aggregate) {
            relations().aggregate(this, aggregate);
        } else {
            calculation((CalculationPlan) derived, arguments);
        }
    }

    /**
     * A calculation over this resource's row wherever the row is (the statement's own table, a subquery's alias): its
     * expression reads the row's columns unqualified from a one-row subquery, {@code (SELECT (<sql>) FROM (SELECT
     * "r1".*) AS "self")}, which works alike in a select list, WHERE, ORDER BY, UPDATE and DELETE.
     */
    private void calculation(CalculationPlan calculation, Map<String, ?> arguments) {
        overRow(calculation.expression(arguments), calculation.uses());
        // A calculation declared CITEXT compares, contains and sorts without case, as a citext column does, whatever
        // type its SQL gives (upper(...) gives text).
        if ("citext".equals(calculation.value().codec().castType())) {
            out.append("::citext");
        }
    }

    /** An expression in SQL over this resource's row, its columns named unqualified: see {@link #calculation}. */
    private void overRow(Filter.Sql expression) {
        overRow(expression, List.of());
    }

    /**
     * {@link #overRow(Filter.Sql)}, with the aggregates and calculations the expression names beside the row's
     * columns, each as it is written anywhere, named as itself:
     * {@code (SELECT "r1".*, (SELECT count(*) ...) AS "count_of_comments")}.
     */
    private void overRow(Filter.Sql expression, List<DerivedPlan> uses) {
        out.append("(SELECT ");
        sql(expression);
        out.append(" FROM (SELECT ").append(qualifier.isEmpty() ? relations().row(this) : qualifier).append("*");
        for (DerivedPlan used : uses) {
            out.append(", ");
            derived(used);
            out.append(" AS ").append(Identifiers.quote(used.name()));
        }
        out.append(") AS ").append(SELF).append(")");
    }

    /**
     * SQL written by hand over this row, its columns named unqualified. In an upsert's {@code DO UPDATE} both the
     * stored row and {@code EXCLUDED} are in scope, so a bare column name would be ambiguous: there the SQL reads the
     * stored row through {@link #overRow}.
     */
    private void handWritten(Filter.Sql sql) {
        if (incoming == null) {
            sql(sql);
        } else {
            overRow(sql);
        }
    }

    /**
     * The new value of a column an atomic change gives: {@code COALESCE(<column>, 0) + ?} for an addition or a
     * subtraction (its amount already converted), the SQL of {@link Atomic#sql} over the row, or the value of the field
     * {@link Atomic#of} names ({@link #value}).
     */
    void atomic(ColumnPlan column, Atomic atomic) {
        refuseAtomic(column);
        if (atomic.field() != null) {
            value(atomic.field());
        } else if (atomic.expression()) {
            handWritten((Filter.Sql) atomic.amount());
        } else {
            out.append("COALESCE(").append(column(column)).append(", 0) ").append(atomic.operator()).append(" ")
                    .bind(column.codec(), atomic.amount());
        }
    }

    /** Refuses an atomic change of a column written through {@code writeAs}, naming it. */
    void refuseAtomic(ColumnPlan column) {
        if (column.attribute().expressions().write() != null) {
            // An atomic change is SQL of its own: the write expression would wrap an expression, not a value.
            throw QueryException.of(plan.name(), column.name(), "'" + column.name() + "' of " + plan.name() + " is "
                    + "written through writeAs(\"" + column.attribute().expressions().write() + "\"), which takes "
                    + "a value: give the value itself, not an atomic change or Atomic.sql(...)");
        }
    }

    /**
     * A field's value as read, to be written to another column: an attribute's column (a {@code json} column's text
     * as written) or its {@code readAs} expression, a declared calculation's or aggregate's subquery as a filter reads it (with its scopes), or an
     * attribute at the end of to-one relationships, the related row's value or NULL without one
     * ({@link RelatedSql#pathValue}).
     */
    void value(String field) {
        if (ResourcePlan.isPath(field)) {
            relations().pathValue(this, field);
        } else if (derivedOf(field) != null) {
            refuseOverHidden(field);
            operand(field);
        } else if (masks().containsKey(field)) {
            // An update's own row is the stored one: a hidden field is copied only where the actor may see it.
            out.append("CASE WHEN ");
            new FilterRenderer(plan, out).filter(masks().get(field));
            out.append(" THEN ").append(read(field)).append(" END");
        } else {
            out.append(read(field));
        }
    }

    /**
     * Refuses an update's {@code Atomic.of} of a declared calculation on a resource with fields hidden from the actor:
     * its SQL is written over the stored row, where a hidden field is not masked, so it would copy what the actor may
     * not see.
     */
    private void refuseOverHidden(String field) {
        if (derivedOf(field) instanceof CalculationPlan && !masks().isEmpty()) {
            throw new ForbiddenException(plan.name(), "update", "field " + masks().keySet().iterator().next(),
                    "Cannot update " + plan.name() + " with Atomic.of(\"" + field + "\"): a calculation is computed "
                    + "from the stored row, whose fields " + masks().keySet() + " field policies hide from the actor. "
                    + "Read the calculation and update with its value, which keeps to the field policies, or update "
                    + "with bypassPolicies()");
        }
    }

    /** An attribute's value as a read gives it: its column, or its {@code readAs} expression over it. */
    String read(String field) {
        return read(plan.column(field));
    }

    String read(ColumnPlan column) {
        return column.read(qualifier);
    }

    /**
     * The value of a tie breaker (a primary key field the read orders by after its sorts) in a cursor of the sort
     * keys alone: the keyset ends before it, so the rows after the cursor are those past every row equal to it.
     */
    static final Object PAST_THE_TIES = new Object() {
        @Override
        public String toString() {
            return "past the ties";
        }
    };

    /**
     * Rows strictly after (or before) a cursor in the sort order: {@code (a > ?) OR (a = ? AND b > ?)}.
     * Spelled out rather than as a row comparison because the sort directions may differ. A nullable key keeps its
     * nulls where the order puts them: past a value when they come that way ({@code (a > ? OR a IS NULL)}), and a
     * cursor holding null is followed by the values when nulls come first ({@code a IS NOT NULL}).
     */
    void keyset(List<Sort> sorts, List<Object> cursor, boolean after) {
        int given = cursor.indexOf(PAST_THE_TIES);
        if (given >= 0) {
            // The tie breakers a cursor of the sort keys alone was made up for: past every row equal on those keys.
            sorts = sorts.subList(0, given);
            cursor = cursor.subList(0, given);
        }
        for (Sort sort : sorts) {
            if (!SortValue.computed(sort) && sort.field().indexOf('.') >= 0 && !relatedKey(sort.field())) {
                throw QueryException.of(plan.name(), sort.field(), "A cursor on " + plan.name() + " takes sorts by "
                        + "its attributes, expressions and counts, and by attributes of to-one relationships only, and '"
                        + sort.field() + "' is a path of another kind: page such a read with offset(...), or sort it "
                        + "by attributes");
            }
        }
        if (sorts.size() != cursor.size()) {
            throw QueryException.of(plan.name(), null, "A cursor on " + plan.name() + " needs one value per "
                    + "sort key, in the sort's order, and the read sorts by " + sorts.size() + " key(s) but was given "
                    + cursor.size() + " value(s): take the cursor with cursor(row) on this same read (its sorts, "
                    + "with the primary key after them when it pages), or give the sort keys' values alone");
        }
        for (int i = 0; i < sorts.size(); i++) {
            requireNullable(sorts.get(i), cursor.get(i));
        }
        out.append("(");
        int written = 0;
        for (int i = 0; i < sorts.size(); i++) {
            boolean nullsAhead = nullsAhead(sorts.get(i), after);
            if (cursor.get(i) == null && nullsAhead) {
                continue;   // past a null there are only more nulls, equal to it on this key
            }
            out.append(written++ == 0 ? "(" : " OR (");
            for (int j = 0; j < i; j++) {
                Object value = cursor.get(j);
                ColumnPlan column = keyOperand(sorts.get(j));
                if (value == null) {
                    out.append(" IS NULL AND ");
                } else {
                    out.append(" = ");
                    bindCursorValue(sorts.get(j), column, value);
                    out.append(" AND ");
                }
            }
            Sort sort = sorts.get(i);
            Object value = cursor.get(i);
            if (value == null) {
                keyOperand(sort);
                out.append(" IS NOT NULL)");
                continue;
            }
            boolean orNull = nullsAhead && nullable(sort);
            String operator = (sort.direction() == Sort.Direction.ASC) == after ? " > " : " < ";
            out.append(orNull ? "(" : "");
            ColumnPlan column = keyOperand(sort);
            out.append(operator);
            bindCursorValue(sort, column, value);
            if (orNull) {
                out.append(" OR ");
                keyOperand(sort);
                out.append(" IS NULL)");
            }
            out.append(")");
        }
        out.append(written == 0 ? "FALSE)" : ")");
    }

    /**
     * Whether a sort key's value may be null: a related value is null without a related record, whatever its attribute
     * allows; an expression in SQL may be null, a condition (as it sorts) and a count never are.
     */
    private boolean nullable(Sort sort) {
        if (SortValue.computed(sort)) {
            return sort.expression() instanceof Filter.Sql;
        }
        if (sort.field().indexOf('.') >= 0) {
            return true;
        }
        Attribute attribute = operandOf(sort.field()).attribute();
        return attribute.nullable() && !attribute.primaryKey();
    }

    /**
     * Refuses a cursor's null for a key no row holds null in (the primary key, a not-null attribute): such a cursor was
     * forged, and would match no row rather than fail.
     */
    private void requireNullable(Sort sort, Object value) {
        if (SortValue.computed(sort)) {
            SortValue.check(plan.name(), sort, value);
            return;
        }
        String field = sort.field();
        if (value != null || field.indexOf('.') >= 0 || derivedOf(field) != null) {
            return;
        }
        Attribute attribute = plan.column(field).attribute();
        if (attribute != null && (attribute.primaryKey() || !attribute.nullable())) {
            throw QueryException.of(plan.name(), field, "A cursor on " + plan.name() + " at its sort key '" + field
                    + "' is null, which no row holds ('" + field + "' is " + (attribute.primaryKey() ? "the primary key"
                    : "not null") + "): take the cursor from a row of the same read with cursor(row)");
        }
    }

    /** Whether a dotted sort field is an attribute at the end of to-one relationships, which a cursor compares. */
    private boolean relatedKey(String field) {
        return related != null && CompositeField.of(plan, field) == null && JsonPath.of(plan, field) == null
                && related.toOne(this, field);
    }

    /**
     * Writes a cursor's sort key: an operand, a to-one path's value, or an expression's (in parentheses, as it sorts);
     * returns the column its values bind as, none for an expression.
     */
    private ColumnPlan keyOperand(Sort sort) {
        if (SortValue.computed(sort)) {
            out.append("(");
            sortKey(sort);
            out.append(")");
            return null;
        }
        String field = sort.field();
        if (field.indexOf('.') < 0) {
            return operand(field);
        }
        related.pathKey(this, field);
        return related.pathColumn(this, field);
    }

    /**
     * A cursor's value, bound as a comparison's is: a date or timestamp the server holds as {@code infinity} was read
     * as {@code LocalDate.MAX} (and the like), which no record may store but a cursor past it must still bind.
     */
    private void bindCursorValue(Sort sort, ColumnPlan column, Object value) {
        if (column == null) {
            // An expression's value, checked by SortValue.check, binds by its Java type as a sql(...) value does.
            Codec codec = Codecs.forValue(plan.name(), value);
            out.bind(codec, codec.toDatabase(value));
            return;
        }
        out.bind(plan.comparedValue(sort.field(), column.codec(), value, "A cursor on " + plan.name()
                + " at its sort key '" + sort.field() + "'"));
    }

    /** Whether a key's nulls lie past all its values in the way a cursor reads: forward after, backward before. */
    private static boolean nullsAhead(Sort sort, boolean after) {
        boolean nullsLast = sort.nulls() == Sort.Nulls.DEFAULT ? sort.direction() == Sort.Direction.ASC
                : sort.nulls() == Sort.Nulls.LAST;
        return nullsLast == after;
    }

    private static void requireScalar(ColumnPlan column, String operator) {
        if (column.codec() instanceof CompositeCodec) {
            throw QueryException.of(null, column.name(), operator + " does not apply to the composite attribute '"
                    + column.name() + "'; combine eq filters with or");
        }
        if (!column.codec().fitsInArray()) {
            throw QueryException.of(null, column.name(), operator + " does not apply to the array attribute '"
                    + column.name() + "'; use contains");
        }
    }

    /**
     * Refuses a comparison of two fields PostgreSQL cannot compare ("operator does not exist: integer > character
     * varying"): numbers compare with numbers, text with text, dates and times with each other, the rest with their
     * own type.
     */
    private void refuseOtherKind(ColumnPlan column, ColumnPlan other, String written) {
        String kind = kind(column.codec().castType());
        String otherKind = kind(other.codec().castType());
        if (!kind.equals(otherKind)) {
            throw invalid(column, "compares " + kind + " with " + written + ", " + otherKind + ", and PostgreSQL "
                    + "compares no such pair; compare it with a field of its own kind, or convert one in sql(...)");
        }
    }

    private static String kind(String castType) {
        return switch (castType) {
            case "smallint", "integer", "bigint", "numeric", "real", "double precision" -> "a number";
            case "text", "varchar", "citext" -> "text";
            case "date", "timestamp", "timestamptz" -> "a date or time";
            case "interval" -> "an interval";
            case "json", "jsonb" -> "JSON";
            default -> "a " + castType;
        };
    }

    /**
     * Casts a text attribute of another server type ({@code ltree}, {@code inet}), which has no LIKE or strpos of its
     * own, to its text form, right after the operand.
     */
    private void asText(ColumnPlan column) {
        if (((TextCodec) column.codec()).checkedByServer()) {
            out.append("::text");
        }
    }

    /** PostgreSQL has no LIKE or strpos for an enum type: a native enum's values are matched whole. */
    private void refuseNativeEnum(ColumnPlan column, String operator) {
        String type = ((TextCodec) column.codec()).enumType();
        if (type != null) {
            throw invalid(column, operator + " needs a text attribute, and " + column.name() + " is stored in enum "
                    + "type " + type + ": match its labels with eq or in");
        }
    }

    private AshlarException invalid(ColumnPlan column, String problem) {
        return QueryException.of(plan.name(), column.name(), "Filter on " + plan.name() + "." + column.name() + ": "
                + problem);
    }
}
