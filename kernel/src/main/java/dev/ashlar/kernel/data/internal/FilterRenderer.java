package dev.ashlar.kernel.data.internal;

import dev.ashlar.spi.error.AshlarException;
import dev.ashlar.spi.error.ErrorCode;
import dev.ashlar.spi.query.Filter;
import dev.ashlar.spi.query.Sort;

import java.util.Collections;
import java.util.List;

/** Writes filters and keyset conditions: every value bound, every column quoted by the resource plan. */
final class FilterRenderer {
    private static final Codec PATTERN = TextCodec.text(null);

    private final ResourcePlan plan;
    private final SqlWriter out;

    FilterRenderer(ResourcePlan plan, SqlWriter out) {
        this.plan = plan;
        this.out = out;
    }

    void filter(Filter filter) {
        if (filter instanceof Filter.Compare compare) {
            compare(compare);
        } else if (filter instanceof Filter.In in) {
            ColumnPlan column = plan.column(in.field());
            requireScalar(column, "in");
            out.append(column.quoted()).append(" = ANY(")
                    .bind(column.listCodec(), plan.filterValue(column, column.listCodec(), in.values())).append(")");
        } else if (filter instanceof Filter.IsNil isNil) {
            out.append(plan.column(isNil.field()).quoted()).append(isNil.nil() ? " IS NULL" : " IS NOT NULL");
        } else if (filter instanceof Filter.Like like) {
            like(like);
        } else if (filter instanceof Filter.Contains contains) {
            contains(contains);
        } else if (filter instanceof Filter.And and) {
            group(and.filters(), " AND ", "TRUE");
        } else if (filter instanceof Filter.Or or) {
            group(or.filters(), " OR ", "FALSE");
        } else {
            out.append("NOT (");
            filter(((Filter.Not) filter).filter());
            out.append(")");
        }
    }

    private void compare(Filter.Compare compare) {
        ColumnPlan column = plan.column(compare.field());
        if (compare.value() == null) {
            switch (compare.operator()) {
                case EQ -> out.append(column.quoted()).append(" IS NULL");
                case NE -> out.append(column.quoted()).append(" IS NOT NULL");
                default -> throw invalid(column, compare.operator() + " cannot compare with null; use isNil/notNil");
            }
            return;
        }
        out.append(column.quoted()).append(" ").append(compare.operator().sql()).append(" ")
                .bind(column.codec(), plan.filterValue(column, column.codec(), compare.value()));
    }

    private void like(Filter.Like like) {
        ColumnPlan column = plan.column(like.field());
        if (!(column.codec() instanceof TextCodec)) {
            throw invalid(column, "like/ilike needs a text attribute");
        }
        out.append(column.quoted()).append(like.caseInsensitive() ? " ILIKE " : " LIKE ")
                .bind(PATTERN, plan.filterValue(column, PATTERN, like.pattern()));
    }

    private void contains(Filter.Contains contains) {
        ColumnPlan column = plan.column(contains.field());
        if (!(column.codec() instanceof ArrayCodec)) {
            throw invalid(column, "contains needs an array attribute");
        }
        if (contains.element() == null) {
            throw invalid(column, "contains cannot look for null");
        }
        out.append(column.quoted()).append(" @> ").bind(column.codec(),
                plan.filterValue(column, column.codec(), Collections.singletonList(contains.element())))
                .append("::").append(column.codec().castType());
    }

    private void group(List<Filter> filters, String operator, String empty) {
        if (filters.isEmpty()) {
            out.append(empty);
            return;
        }
        out.append("(");
        for (int i = 0; i < filters.size(); i++) {
            out.append(i == 0 ? "" : operator);
            filter(filters.get(i));
        }
        out.append(")");
    }

    /**
     * Rows strictly after (or before) a cursor in the sort order: {@code (a > ?) OR (a = ? AND b > ?)}.
     * Spelled out rather than as a row comparison because the sort directions may differ.
     */
    void keyset(List<Sort> sorts, List<Object> cursor, boolean after) {
        if (sorts.size() != cursor.size()) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, "A cursor on " + plan.name() + " needs one value per "
                    + "sort key: " + sorts.size() + " sort(s), " + cursor.size() + " value(s)", plan.name(), null,
                    null, null);
        }
        out.append("(");
        for (int i = 0; i < sorts.size(); i++) {
            out.append(i == 0 ? "(" : " OR (");
            for (int j = 0; j <= i; j++) {
                ColumnPlan column = plan.column(sorts.get(j).field());
                Object value = cursor.get(j);
                if (value == null) {
                    throw invalid(column, "a keyset cursor cannot hold null; sort on non-null attributes and end "
                            + "with the primary key");
                }
                boolean ascending = sorts.get(j).direction() == Sort.Direction.ASC;
                String operator = j < i ? " = " : ascending == after ? " > " : " < ";
                out.append(j == 0 ? "" : " AND ").append(column.quoted()).append(operator)
                        .bind(column.codec(), plan.filterValue(column, column.codec(), value));
            }
            out.append(")");
        }
        out.append(")");
    }

    private static void requireScalar(ColumnPlan column, String operator) {
        if (!column.codec().fitsInArray()) {
            throw new AshlarException(ErrorCode.INVALID_QUERY, operator + " does not apply to the array attribute '"
                    + column.name() + "'; use contains", null, column.name(), null, null);
        }
    }

    private AshlarException invalid(ColumnPlan column, String problem) {
        return new AshlarException(ErrorCode.INVALID_QUERY, "Filter on " + plan.name() + "." + column.name() + ": "
                + problem, plan.name(), column.name(), null, null);
    }
}
