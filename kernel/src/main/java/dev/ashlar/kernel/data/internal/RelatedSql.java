package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.error.QueryException;
import dev.ashlar.spi.plugin.Join;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Query;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.sql.Identifiers;

import java.util.Locale;

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

    /** @param topTable the statement's own table, as its {@code FROM} names it, to correlate with */
    RelatedSql(Links links, Scopes scopes, String topTable) {
        this.links = links;
        this.scopes = scopes;
        this.topTable = topTable;
    }

    void exists(FilterRenderer from, String path, Filter inner) {
        exists(from, path, inner, outer(from));
    }

    /**
     * @param innerParent the row {@link Filter.Parent} in {@code inner} names: the one the path starts from for
     *                    {@code exists}, as in Ash, whatever the path's length; that row's parent for a dotted field
     */
    void exists(FilterRenderer from, String path, Filter inner, FilterRenderer innerParent) {
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
        int dot = field.indexOf('.');
        Link link = link(from, field.substring(0, dot));
        if (link.many()) {
            throw QueryException.of(from.plan().name(), field, "Cannot sort " + from.plan().name() + " by '" + field
                    + "': '" + link.name() + "' has many records; sort by its count (Sort.byCount) instead");
        }
        SqlWriter out = from.out();
        String alias = nextAlias();
        FilterRenderer destination = new FilterRenderer(link.destination(), out, this, alias + ".");
        out.append("(SELECT ");
        destination.sortKey(Sort.asc(field.substring(dot + 1)));
        correlate(from, link, destination, alias);
        out.append(" LIMIT 1)");
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
     * {@code ARRAY(SELECT r.x ... ORDER BY ...)}.
     */
    void aggregate(FilterRenderer from, AggregatePlan aggregate) {
        Aggregate declared = aggregate.declared();
        switch (declared.kind()) {
            case COUNT -> countKey(from, declared.relationship(), declared.filter());
            case EXISTS -> exists(from, declared.relationship(), declared.filter());
            default -> {
                SqlWriter out = from.out();
                String alias = nextAlias();
                FilterRenderer destination = new FilterRenderer(aggregate.link().destination(), out, this, alias + ".");
                String column = destination.column(aggregate.field());
                out.append(switch (declared.kind()) {
                    case FIRST -> "(SELECT " + column;
                    case LIST -> "ARRAY(SELECT " + column;
                    case COUNT_DISTINCT -> "(SELECT count(DISTINCT " + column + ")";
                    default -> "(SELECT " + declared.kind().name().toLowerCase(Locale.ROOT) + "(" + column + ")";
                });
                correlate(from, aggregate.link(), destination, alias);
                and(destination.under(outer(from)), declared.filter());
                if (declared.kind().ordered()) {
                    // As in Ash, first and list skip related records without a value (include_nil? false), so a
                    // record sorted first with a null does not hide the next one's value.
                    out.append(" AND ").append(column).append(" IS NOT NULL");
                }
                destination.orderBy(declared.sorts(), false);
                out.append(declared.kind() == Aggregate.Kind.FIRST ? " LIMIT 1)" : ")");
            }
        }
    }

    private Link link(FilterRenderer from, String name) {
        return links.link(from.plan().name(), name);
    }

    private String nextAlias() {
        return Identifiers.quote("r" + ++aliases);
    }

    /** The outer row as a subquery names it: the statement's own table is qualified by its name. */
    private FilterRenderer outer(FilterRenderer from) {
        return from.qualifier().isEmpty() ? new FilterRenderer(from.plan(), from.out(), this, topTable + ".") : from;
    }

    private FilterRenderer correlate(FilterRenderer from, Link link) {
        String alias = nextAlias();
        FilterRenderer destination = new FilterRenderer(link.destination(), from.out(), this, alias + ".");
        correlate(from, link, destination, alias);
        return destination;
    }

    /**
     * {@link #join}, and for a relationship with a limit (a has-one with a sort has one), only its first related rows:
     * the others are not related, in a filter, a path or an aggregate either.
     */
    private void correlate(FilterRenderer from, Link link, FilterRenderer destination, String alias) {
        join(from, link, destination, alias);
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
        SqlWriter out = from.out();
        String outer = row(from);
        Query scope = scopes.scope(link.destination().name());
        out.append(" FROM ");
        if (link.kind() == Link.Kind.MANY_TO_MANY) {
            String joinAlias = Identifiers.quote("j" + aliases);
            Query joinScope = scopes.scope(link.through().name());
            FilterRenderer through = new FilterRenderer(link.through(), out, this, joinAlias + ".");
            out.append(link.through().table(joinScope.schema())).append(" AS ").append(joinAlias).append(" JOIN ")
                    .append(link.destination().table(scope.schema())).append(" AS ").append(alias).append(" ON ")
                    .append(destination.column(link.destinationAttribute())).append(" = ")
                    .append(through.column(link.destinationOnJoin())).append(" WHERE ")
                    .append(through.column(link.sourceOnJoin())).append(" = ")
                    .append(outer + from.plan().column(link.sourceAttribute()).quoted());
            and(through, joinScope.filter());
        } else {
            Join join = link.custom() == null ? null : scopes.join(link);
            String source = join == null ? link.sourceAttribute() : join.sourceAttribute();
            String target = join == null ? link.destinationAttribute() : join.destinationAttribute();
            out.append(link.destination().table(scope.schema())).append(" AS ").append(alias).append(" WHERE ")
                    .append(destination.column(target)).append(" = ")
                    .append(outer + from.plan().column(source).quoted());
            and(destination, join == null ? null : join.filter());
        }
        and(destination, scope.filter());
        and(destination.under(outer(from)), link.filter());
    }

    private static void and(FilterRenderer renderer, Filter filter) {
        if (filter != null) {
            renderer.out().append(" AND ");
            renderer.filter(filter);
        }
    }
}
