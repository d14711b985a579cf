package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.internal.AttributeMarks;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.sql.Identifiers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what goes through relationships as correlated subqueries: {@code EXISTS (SELECT 1 FROM
 * "comments" AS "r1" WHERE "r1"."post_id" = "posts"."id" AND ...)}, a {@code count(*)} subquery, or a
 * to-one path's value. A subquery never multiplies the rows it filters, which a join would. Each
 * destination's table and extra conditions come from its scope (the hooks' rewrite for the caller's
 * tenant). One instance per rendering; aliases are numbered in the order they are written.
 */
final class RelatedSql {
    private final Links links;
    private final Scopes scopes;
    private final String topTable;
    private int aliases;
    /** The resources whose scope is being written, innermost first (see {@link #scoped}). */
    private final Deque<String> policing = new ArrayDeque<>();

    /** @param topTable the statement's own table, as its {@code FROM} names it, to correlate with */
    RelatedSql(Links links, Scopes scopes, String topTable) {
        this.links = links;
        this.scopes = scopes;
        this.topTable = topTable;
    }

    /** The fields the resource's field policies hide from the action's actor ({@link Scopes#masks}). */
    Map<String, Filter> masks(String resource) {
        return scopes.masks(resource);
    }

    void exists(FilterRenderer from, String path, Filter inner) {
        // Inside an embedded record, a nested exists is a longer path (Ash flattens it): its parent stays the same.
        exists(from, path, inner, JsonArrayExists.isElement(from.plan()) ? from.parent() : outer(from));
    }

    /**
     * @param innerParent the row {@link Filter.Parent} in {@code inner} names: the one the path starts from for
     *                    {@code exists}, as in Ash, whatever the path's length; that row's parent for a dotted field
     */
    void exists(FilterRenderer from, String path, Filter inner, FilterRenderer innerParent) {
        if (JsonArrayExists.applies(from.plan(), path)) {
            JsonArrayExists.exists(from, path, inner, this, innerParent);
            return;
        }
        int dot = path.indexOf('.');
        Link link = link(from, dot < 0 ? path : path.substring(0, dot));
        from.out().append("EXISTS (SELECT 1");
        FilterRenderer destination = correlate(from, link);
        if (dot >= 0) {
            from.out().append(" AND ");
            exists(destination, path.substring(dot + 1), inner, innerParent);
        } else if (inner != null) {
            from.out().append(" AND ");
            destination.under(innerParent).filter(inner);
        }
        from.out().append(")");
    }

    /**
     * A leaf filter on a field at the end of to-one relationships, read as over a left join: {@code (SELECT
     * "r1"."name" = ? FROM "users" AS "r1" WHERE ... LIMIT 1)}, NULL when there is no related record, so that its
     * negation keeps no row either.
     *
     * @param innerParent the row {@link Filter.Parent} in the leaf names (a dotted field adds no level)
     */
    void toOneValue(FilterRenderer from, String field, Filter leaf, FilterRenderer innerParent) {
        int dot = field.indexOf('.');
        Link link = link(from, field.substring(0, dot));
        SqlWriter out = from.out();
        String alias = nextAlias();
        FilterRenderer destination = destination(from, link, alias).negated();
        out.append("(SELECT ");
        destination.under(innerParent).filter(FilterPaths.withField(leaf, field.substring(dot + 1)));
        correlate(from, link, destination, alias);
        out.append(" LIMIT 1)");
    }

    /**
     * Whether a dotted field reaches its value through to-one relationships only ({@code belongsTo}, {@code hasOne}),
     * so that it holds one value or none for each row.
     */
    boolean toOne(FilterRenderer from, String field) {
        ResourcePlan plan = from.plan();
        String[] names = field.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            Link link = links.relationshipOrNull(plan.name(), names[i]);
            if (link == null) {
                return i > 0;
            }
            if (link.many()) {
                return false;
            }
            plan = link.destination();
        }
        return true;
    }

    void count(FilterRenderer from, Filter.Count count) {
        countKey(from, count.relationship(), count.filter());
        from.out().append(" ").append(count.operator().sql()).append(" ").bind(ScalarCodec.BIGINT, count.value());
    }

    void countKey(FilterRenderer from, String relationship) {
        countKey(from, relationship, null);
    }

    private void countKey(FilterRenderer from, String relationship, Filter filter) {
        if (relationship.indexOf('.') >= 0) {
            throw QueryException.of(from.plan().name(), relationship, "count(\"" + relationship + "\") on "
                    + from.plan().name() + ": count one relationship at a time; put the rest of the path in the "
                    + "filter, e.g. count(\"comments\", exists(\"author\", ...), ...)");
        }
        from.out().append("(SELECT count(*)");
        FilterRenderer destination = correlate(from, link(from, relationship));
        if (filter != null) {
            from.out().append(" AND ");
            destination.under(outer(from)).filter(filter);
        }
        from.out().append(")");
    }

    /** The value of an attribute at the end of a path of to-one relationships ({@code "author.name"}). */
    void pathKey(FilterRenderer from, String field) {
        Link link = link(from, field.substring(0, field.indexOf('.')));
        if (link.many()) {
            throw QueryException.of(from.plan().name(), field, "Cannot sort " + from.plan().name() + " by '" + field
                    + "': '" + link.name() + "' has many records; sort by its count (Sort.byCount) instead");
        }
        toOneSubquery(from, link, field, (destination, rest) -> destination.sortKey(Sort.asc(rest)));
    }

    /**
     * The value of an attribute at the end of to-one relationships, as stored, for {@code Atomic.of("author.name")}:
     * {@code (SELECT "r1"."name" FROM "authors" AS "r1" WHERE "r1"."id" = "posts"."author_id" [AND <its scope>]
     * LIMIT 1)}, NULL without a related row. The related rows are scoped as a filter's are (a tenant's only).
     */
    void pathValue(FilterRenderer from, String field) {
        Link link = link(from, field.substring(0, field.indexOf('.')));
        if (link.many()) {
            throw QueryException.of(from.plan().name(), field, "Atomic.of(\"" + field + "\") on " + from.plan().name()
                    + " takes the value of one related record, and '" + link.name() + "' has many: declare an "
                    + "aggregate over it (e.g. first or max) and name the aggregate");
        }
        if (link.kind() == Link.Kind.HAS_ONE && link.sorts().isEmpty() && !UniqueLink.oneRelated(link)) {
            // Unsorted, and several related rows may match: the row written would be whichever comes first.
            throw QueryException.of(from.plan().name(), field, "Atomic.of(\"" + field + "\") on "
                    + from.plan().name() + " writes the value of one related record, but the hasOne '" + link.name()
                    + "' has no sort to choose it when several are related: give it one, hasOne(\"" + link.name()
                    + "\", ..., r -> r.sort(...)), as aggregates take an order, or make it one-to-one with an "
                    + "identity on " + UniqueLink.keyOf(link) + " unique in the whole table (no where, and across "
                    + "tenants where " + link.destination().name() + " has a tenant column)");
        }
        toOneSubquery(from, link, field, FilterRenderer::value);
    }

    /** {@code (SELECT <the rest of the path's value> FROM <destination> WHERE <related> LIMIT 1)}. */
    private void toOneSubquery(FilterRenderer from, Link link, String field,
                               java.util.function.BiConsumer<FilterRenderer, String> rest) {
        SqlWriter out = from.out();
        String alias = nextAlias();
        FilterRenderer destination = destination(from, link, alias);
        out.append("(SELECT ");
        rest.accept(destination, field.substring(field.indexOf('.') + 1));
        correlate(from, link, destination, alias);
        out.append(" LIMIT 1)");
    }

    /** The attribute at the end of a path of to-one relationships, whose codec binds a cursor's value for it. */
    ColumnPlan pathColumn(FilterRenderer from, String field) {
        ResourcePlan plan = from.plan();
        String[] names = field.split("\\.");
        for (int i = 0; i < names.length - 1; i++) {
            plan = links.link(plan.name(), names[i]).destination();
        }
        return plan.column(names[names.length - 1]);
    }

    /** The declared aggregate or calculation of a resource of that name, or {@code null} when the name is not one. */
    DerivedPlan derived(String resource, String name) {
        return links.derived(resource, name);
    }

    /** How SQL inside a subquery names the row a renderer's conditions are about: its alias, or the statement's table. */
    String row(FilterRenderer from) {
        return from.qualifier().isEmpty() ? topTable + "." : from.qualifier();
    }

    /**
     * A declared aggregate as a correlated subquery: {@code (SELECT sum(r.x) FROM ... WHERE <related> AND
     * <its filter>)}, {@code EXISTS (...)}, the first row's value ({@code ORDER BY ... LIMIT 1}) or
     * {@code ARRAY(SELECT r.x ... ORDER BY ...)}. Over a path, every relationship's table is in the one {@code FROM},
     * each related to the one before, so a record reached twice counts twice, as Ash's join does.
     */
    void aggregate(FilterRenderer from, AggregatePlan aggregate) {
        Aggregate declared = aggregate.declared();
        SqlWriter out = from.out();
        if (declared.kind() == Aggregate.Kind.EXISTS) {
            exists(from, declared.relationship(), declared.filter());
            return;
        }
        if (aggregate.defaultValue() != null) {
            out.append("COALESCE(");
        }
        List<Hop> hops = hops(aggregate.path(), out);
        FilterRenderer destination = hops.get(hops.size() - 1).destination();
        Runnable value = value(destination, aggregate);
        if (declared.kind() == Aggregate.Kind.LIST && declared.uniq()) {
            uniqueList(from, aggregate, hops, value);
        } else if (declared.kind() == Aggregate.Kind.CUSTOM) {
            custom(from, aggregate, hops);
        } else {
            boolean ordered = declared.kind().ordered();
            out.append(switch (declared.kind()) {
                case COUNT -> "(SELECT count(";
                case FIRST -> "(SELECT ";
                case LIST -> "ARRAY(SELECT ";
                case COUNT_DISTINCT -> "(SELECT count(DISTINCT ";
                default -> "(SELECT " + declared.kind().name().toLowerCase(Locale.ROOT) + "(";
            });
            if (value == null) {
                out.append("*");
            } else if (declared.kind() == Aggregate.Kind.COUNT_DISTINCT && aggregate.field() != null) {
                out.append(destination.compared(aggregate.field()));
            } else {
                value.run();
            }
            out.append(ordered ? "" : ")");
            related(from, aggregate, hops, value);
            destination.orderBy(declared.sorts(), false);
            out.append(declared.kind() == Aggregate.Kind.FIRST ? " LIMIT 1)" : ")");
        }
        if (aggregate.defaultValue() != null) {
            out.append(", ").bind(aggregate.value().codec(), aggregate.defaultValue()).append(")");
        }
    }

    /**
     * A list of each value once, where it first comes in the aggregate's order (Ash's {@code uniq?}): {@code
     * SELECT DISTINCT} cannot order by what it does not select, so the values are numbered in that order and
     * grouped, each at its first number.
     */
    private void uniqueList(FilterRenderer from, AggregatePlan aggregate, List<Hop> hops, Runnable value) {
        SqlWriter out = from.out();
        String values = nextAlias();
        // Values equal as compared are one (json as jsonb), each kept in the text it first comes in.
        Codec codec = aggregate.field() == null ? null : aggregate.field().codec();
        String v = values + ".v";
        String grouped = codec == null ? v : codec.compared(v);
        out.append("ARRAY(SELECT ").append(grouped.equals(v) ? v : "(array_agg(" + v + " ORDER BY " + values
                + ".n))[1]").append(" FROM (SELECT ");
        value.run();
        out.append(" AS v, row_number() OVER (");
        hops.get(hops.size() - 1).destination().orderBy(aggregate.declared().sorts(), false);
        out.append(") AS n");
        related(from, aggregate, hops, value);
        out.append(") AS ").append(values).append(" GROUP BY ").append(grouped).append(" ORDER BY min(")
                .append(values).append(".n))");
    }

    /**
     * A custom aggregate: its SQL, each {@code {attribute}} written as the destination's column, its values bound,
     * over the related records. {@code HAVING true} makes the subquery grouped even when the SQL calls no aggregate
     * function, so SQL that aggregates nothing ({@code lower({title})}) is refused by the server (a grouping error,
     * 42803) at every read, rather than read from one related record and failing only when there are two.
     */
    private void custom(FilterRenderer from, AggregatePlan aggregate, List<Hop> hops) {
        Filter.Sql sql = aggregate.custom();
        if (from.out().renders()) {
            FilterRenderer destination = hops.get(hops.size() - 1).destination();
            sql = new Filter.Sql(AttributeMarks.resolve(sql.sql(), destination::column), sql.values());
        }
        from.out().append("(SELECT ");
        hops.get(hops.size() - 1).destination().sql(sql);
        related(from, aggregate, hops, null);
        from.out().append(" HAVING true)");
    }

    /** {@code FROM} the path's tables {@code WHERE} each is related to the one before, the filter holds, and nils. */
    private void related(FilterRenderer from, AggregatePlan aggregate, List<Hop> hops, Runnable value) {
        Aggregate declared = aggregate.declared();
        correlate(from, hops);
        FilterRenderer destination = hops.get(hops.size() - 1).destination();
        and(destination.under(outer(from)), declared.filter());
        if (declared.kind().ordered() && !declared.includeNil()) {
            // As in Ash, first and list skip related records without a value (include_nil? false), so a
            // record sorted first with a null does not hide the next one's value.
            from.out().append(" AND ");
            value.run();
            from.out().append(" IS NOT NULL");
        }
    }

    /**
     * What an aggregate writes for each related record: the destination's column, or the destination's own aggregate
     * or calculation computed for that record (Ash's {@code sum :sum_of_author_count_of_posts, :author,
     * :count_of_posts}); null for a count of records.
     */
    private Runnable value(FilterRenderer destination, AggregatePlan aggregate) {
        if (aggregate.derivedField() != null) {
            DerivedPlan derived = derived(destination.plan().name(), aggregate.derivedField());
            return () -> destination.derived(derived);
        }
        if (aggregate.field() == null) {
            return null;
        }
        String column = destination.read(aggregate.field());
        return () -> destination.out().append(column);
    }

    /** One step of a path written in one {@code FROM}: the relationship and the aliases of its tables. */
    private record Hop(Link link, String alias, String joinAlias, FilterRenderer destination) {
    }

    private List<Hop> hops(List<Link> path, SqlWriter out) {
        List<Hop> hops = new ArrayList<>();
        for (Link link : path) {
            String alias = nextAlias();
            hops.add(new Hop(link, alias, Identifiers.quote("j" + aliases),
                    new FilterRenderer(link.destination(), out, this, alias + ".")));
        }
        return hops;
    }

    /** {@code FROM <each step's table> WHERE <each related to the one before, the first to the outer row>}. */
    private void correlate(FilterRenderer from, List<Hop> hops) {
        SqlWriter out = from.out();
        out.append(" FROM ");
        for (int i = 0; i < hops.size(); i++) {
            Hop hop = hops.get(i);
            fromItem(out.append(i == 0 ? "" : ", "), hop.link(), hop.destination(), hop.alias(), hop.joinAlias());
        }
        out.append(" WHERE ");
        FilterRenderer previous = from;
        for (int i = 0; i < hops.size(); i++) {
            Hop hop = hops.get(i);
            relate(out.append(i == 0 ? "" : " AND "), previous, hop.link(), hop.destination(), hop.joinAlias());
            firstOnly(previous, hop.link(), hop.alias());
            previous = hop.destination();
        }
    }

    private Link link(FilterRenderer from, String name) {
        return links.link(from.plan().name(), name);
    }

    String nextAlias() {
        return Identifiers.quote("r" + ++aliases);
    }

    /** The outer row as a subquery names it: the statement's own table is qualified by its name. */
    private FilterRenderer outer(FilterRenderer from) {
        return from.qualifier().isEmpty() ? new FilterRenderer(from.plan(), from.out(), this, topTable + ".") : from;
    }

    private FilterRenderer correlate(FilterRenderer from, Link link) {
        String alias = nextAlias();
        FilterRenderer destination = destination(from, link, alias);
        correlate(from, link, destination, alias);
        return destination;
    }

    /** The related records' renderer, with the arguments the read gives their calculations through the link. */
    private FilterRenderer destination(FilterRenderer from, Link link, String alias) {
        FilterRenderer destination = new FilterRenderer(link.destination(), from.out(), this, alias + ".");
        Map<String, Map<String, Object>> arguments = from.argumentsPast(link.name());
        return arguments.isEmpty() ? destination : destination.given(arguments);
    }

    /**
     * {@link #join}, and for a relationship with a limit (a has-one with a sort has one), only its first related rows:
     * the others are not related, in a filter, a path or an aggregate either.
     */
    private void correlate(FilterRenderer from, Link link, FilterRenderer destination, String alias) {
        join(from, link, destination, alias);
        firstOnly(from, link, alias);
    }

    /** For a relationship with a limit: {@code AND <alias>.ctid IN (<the first related rows' ctid>)}. */
    private void firstOnly(FilterRenderer from, Link link, String alias) {
        if (link.limit() != null) {
            String first = nextAlias();
            FilterRenderer candidate = new FilterRenderer(link.destination(), from.out(), this, first + ".");
            from.out().append(" AND ").append(alias).append(".ctid IN (SELECT ").append(first).append(".ctid");
            join(from, link, candidate, first);
            candidate.orderBy(link.sorts(), false);
            // The limit is the definition's, a constant of the statement's shape.
            from.out().append(" LIMIT ").append(String.valueOf(link.limit())).append(")");
        }
    }

    /**
     * Writes {@code FROM <destination> WHERE <it is related to the outer row> [AND <its scope>] [AND <the
     * relationship's own filter>]}.
     */
    private void join(FilterRenderer from, Link link, FilterRenderer destination, String alias) {
        String joinAlias = Identifiers.quote("j" + aliases);
        fromItem(from.out().append(" FROM "), link, destination, alias, joinAlias);
        relate(from.out().append(" WHERE "), from, link, destination, joinAlias);
    }

    /** The destination's table as a {@code FROM} item; many-to-many: the join table joined to it. */
    private void fromItem(SqlWriter out, Link link, FilterRenderer destination, String alias, String joinAlias) {
        Query scope = scopes.scope(link.destination().name());
        if (link.kind() == Link.Kind.MANY_TO_MANY) {
            Query joinScope = scopes.scope(link.through().name());
            FilterRenderer through = new FilterRenderer(link.through(), out, this, joinAlias + ".");
            FieldMasks.from(out, link.through(), joinScope.schema(), joinAlias, masks(link.through().name()));
            out.append(" JOIN ");
            FieldMasks.from(out, link.destination(), scope.schema(), alias, masks(link.destination().name()));
            out.append(" ON ").append(destination.column(link.destinationAttribute())).append(" = ")
                    .append(through.column(link.destinationOnJoin()));
        } else {
            FieldMasks.from(out, link.destination(), scope.schema(), alias, masks(link.destination().name()));
        }
    }

    /**
     * The conditions relating the destination's rows to the source row {@code from} names, then its scope's and the
     * relationship's own filter.
     */
    private void relate(SqlWriter out, FilterRenderer from, Link link, FilterRenderer destination, String joinAlias) {
        String outer = row(from);
        if (link.kind() == Link.Kind.MANY_TO_MANY) {
            FilterRenderer through = new FilterRenderer(link.through(), out, this, joinAlias + ".");
            out.append(through.column(link.sourceOnJoin())).append(" = ")
                    .append(outer + from.plan().column(link.sourceAttribute()).quoted());
            scoped(through, link.through().name());
            and(through.under(outer(from)), link.joinFilter());
        } else {
            Join join = link.custom() == null ? null : scopes.join(link);
            if (link.noAttributes() || join != null && join.noAttributes()) {
                out.append("TRUE");   // related by the filter alone, and-ed below
            } else {
                String source = join == null ? link.sourceAttribute() : join.sourceAttribute();
                String target = join == null ? link.destinationAttribute() : join.destinationAttribute();
                out.append(destination.column(target)).append(" = ")
                        .append(outer + from.plan().column(source).quoted());
            }
            and(destination.under(outer(from)), join == null ? null : join.filter());
        }
        scoped(destination, link.destination().name());
        and(destination.under(outer(from)), link.filter());
    }

    /**
     * {@code AND <the resource's scope>}: its tenant scope, base filter and policy. A scope that reaches its own
     * resource again, directly or through another resource's policy, is refused: its rule would be written inside
     * itself without end (PostgreSQL refuses such a row-security policy as infinite recursion), and cutting it short
     * either way changes what it grants (reading the records reached there without the rule let a rule
     * {@code or(eq("id", actor), exists("organization"))} grant every row to anyone).
     *
     * @throws QueryException naming the resources the scopes go round
     */
    private void scoped(FilterRenderer renderer, String resource) {
        if (policing.contains(resource)) {
            List<String> round = new ArrayList<>(policing);
            Collections.reverse(round);
            round = round.subList(round.indexOf(resource), round.size());
            throw QueryException.of(resource, null, "The read policy (or base filter) of " + resource
                    + " reaches " + resource + " again (" + String.join(" -> ", round) + " -> " + resource
                    + "), whose records are read through that policy: it would hold inside itself without end. "
                    + "Write the rule without reaching back (compare the actor with the records' own fields, or "
                    + "with a resource whose policy does not lead back to " + resource + ")");
        }
        policing.push(resource);
        try {
            and(renderer, scopes.scope(resource).filter());
        } finally {
            policing.pop();
        }
    }

    private static void and(FilterRenderer renderer, Filter filter) {
        if (filter != null) {
            renderer.out().append(" AND ");
            renderer.filter(filter);
        }
    }
}
