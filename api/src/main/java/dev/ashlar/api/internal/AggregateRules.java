package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.error.QueryException;
import dev.ashlar.api.query.Filter;
import dev.ashlar.api.query.Sort;
import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.BelongsTo;
import dev.ashlar.api.resource.Extension;
import dev.ashlar.api.resource.HasOne;
import dev.ashlar.api.resource.Relationship;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The problems of a resource's aggregates, once its relationships are resolved: each names the fix. */
public final class AggregateRules {
    private final Map<String, Resource> resources;

    /** @param resources the domain's resolved resources, by name */
    AggregateRules(Map<String, Resource> resources) {
        this.resources = resources;
    }

    List<Problem> check(Resource resource) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Aggregate aggregate : resource.aggregates()) {
            String problem = name(resource, aggregate, names);
            if (problem == null) {
                problem = relationship(resource, aggregate);
            }
            if (problem != null) {
                problems.add(new Problem(resource.name(), aggregate.name(), problem));
            }
        }
        return problems;
    }

    /**
     * The problem of an aggregate a read gives rather than the resource declares (Ash's {@code Query.aggregate}), or
     * null: the same rules, its name taken by none of the resource's fields, aggregates and calculations.
     *
     * @param resources the domain's resources, by name
     */
    public static String problem(Map<String, Resource> resources, Resource resource, Aggregate aggregate) {
        Set<String> names = new HashSet<>();
        resource.aggregates().forEach(declared -> names.add(declared.name()));
        resource.calculations().forEach(declared -> names.add(declared.name()));
        String problem = name(resource, aggregate, names);
        return problem != null ? problem : new AggregateRules(resources).relationship(resource, aggregate);
    }

    private static String name(Resource resource, Aggregate aggregate, Set<String> names) {
        String invalid = FieldNames.problem(aggregate.name());
        if (invalid != null) {
            return "the aggregate's name '" + aggregate.name() + "' " + invalid + "; rename the aggregate";
        }
        if (resource.attribute(aggregate.name()).isPresent() || resource.relationship(aggregate.name()).isPresent()
                || !names.add(aggregate.name())) {
            return "is used twice; attributes, relationships and aggregates share one namespace, so rename the "
                    + "aggregate";
        }
        return null;
    }

    private String relationship(Resource resource, Aggregate aggregate) {
        String kind = aggregate.kind().name().toLowerCase(Locale.ROOT);
        String path = aggregate.relationship();
        if (path == null || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            return "the " + kind + " aggregate is over '" + path + "'; name a relationship of " + resource.name()
                    + " or a dotted path of relationships, e.g. \"comments.author\"";
        }
        Resource current = resource;
        boolean sortedEnd = false;
        boolean toOne = true;
        for (String name : path.split("\\.")) {
            String destination = destination(current, name);
            sortedEnd = current.relationship(name).map(r -> !r.sorts().isEmpty()).orElse(false);
            Resource next = resources.get(destination);
            toOne &= next != null && current.relationship(name).map(r -> reachesOne(r, next)).orElse(false);
            if (Unrelated.resource(name) != null && !resources.containsKey(destination)) {
                return "the " + kind + " aggregate is over resource '" + destination + "' (\"" + name + "\")"
                        + ", which the domain does not have; name one of " + new TreeSet<>(resources.keySet())
                        + " after '" + Unrelated.MARK + "', or a relationship of " + current.name() + " without it";
            }
            if (destination == null) {
                return "the " + kind + " aggregate is over relationship '" + name + "'" + (current == resource ? ""
                        : " of " + current.name() + " (in path '" + path + "')") + ", which " + current.name()
                        + " does not have; name one of " + relationshipNames(current);
            }
            current = resources.get(destination);
            if (current == null) {
                return null;
            }
        }
        String option = options(aggregate, kind);
        if (option != null) {
            return option;
        }
        return aggregate.kind() == Aggregate.Kind.CUSTOM ? custom(aggregate, current)
                : field(aggregate, kind, current, sortedEnd || toOne);
    }

    /**
     * Whether a step of a path relates each record to one record at most: a belongsTo onto a key, a has-one with a
     * sort (its first record, as everywhere it is followed), or a relationship with a sort limited to one record.
     * Without a sort, a limit of one picks any record, and a first through it needs its own order.
     */
    private static boolean reachesOne(Relationship relationship, Resource destination) {
        if (relationship instanceof BelongsTo belongsTo) {
            return belongsTo.reachesOne(destination);
        }
        return !relationship.sorts().isEmpty()
                && (relationship instanceof HasOne || Integer.valueOf(1).equals(relationship.limit()));
    }

    /**
     * The type of a field of the resource at an aggregate's path's end as the aggregate takes it: an attribute's type,
     * a calculation's, or the type of an aggregate of that resource (Ash's {@code first :author_count_of_posts_agg,
     * :author, :count_of_posts}), or null when there is none, or when aggregates over aggregates lead back to it.
     *
     * @param resources the domain's resources, by name
     */
    public static Type fieldType(Map<String, Resource> resources, Resource destination, String field) {
        return fieldType(resources, destination, field, new HashSet<>());
    }

    private static Type fieldType(Map<String, Resource> resources, Resource destination, String field,
                                  Set<String> seen) {
        Optional<Attribute> attribute = destination.attribute(field);
        if (attribute.isPresent()) {
            return attribute.get().type();
        }
        if (destination.calculation(field).isPresent()) {
            return destination.calculation(field).get().columnType();
        }
        Optional<Aggregate> aggregate = destination.aggregate(field);
        if (aggregate.isEmpty() || !seen.add(destination.name() + "." + field)) {
            return null;
        }
        if (!aggregate.get().takesField()) {
            return aggregate.get().type(null);
        }
        Resource current = destination;
        for (String name : aggregate.get().relationship().split("\\.")) {
            String next = destination(current, name);
            current = next == null ? null : resources.get(next);
            if (current == null) {
                return null;
            }
        }
        Type type = fieldType(resources, current, aggregate.get().field(), seen);
        return type == null ? null : aggregate.get().type(type);
    }

    /** The destination of a relationship of the resource, its own or a plugin section's (a manual one), or null. */
    private static String destination(Resource resource, String name) {
        String unrelated = Unrelated.resource(name);
        if (unrelated != null) {
            return unrelated;
        }
        Optional<Relationship> own = resource.relationship(name);
        if (own.isPresent()) {
            return own.get().destination();
        }
        for (Extension extension : resource.extensions()) {
            String destination = extension.relationshipDestinations().get(name);
            if (destination != null) {
                return destination;
            }
        }
        return null;
    }

    private static List<String> relationshipNames(Resource resource) {
        List<String> names = new ArrayList<>(resource.relationships().stream().map(Relationship::name).toList());
        resource.extensions().forEach(extension -> names.addAll(extension.relationshipDestinations().keySet()));
        return names;
    }

    /** A custom aggregate's SQL: its type, its text, the attributes it marks and the values of its {@code ?} marks. */
    private static String custom(Aggregate aggregate, Resource destination) {
        Aggregate.Custom custom = aggregate.custom();
        if (custom == null || custom.sql() == null || custom.sql().isBlank()) {
            return "the custom aggregate needs an aggregate expression over the related records, e.g. "
                    + "Aggregate.custom(\"" + aggregate.name() + "\", \"" + aggregate.relationship()
                    + "\", Type.TEXT, \"string_agg({title}, ', ')\")";
        }
        if (custom.type() == null) {
            return "the custom aggregate is read as no type it can be; read it as String, Integer, Long, BigDecimal, "
                    + "Double, Boolean, UUID, LocalDate, LocalTime, LocalDateTime or Instant, or give a column type "
                    + "such as Type.arrayOf(Type.TEXT) for a list of text";
        }
        if (!aggregate.sorts().isEmpty()) {
            return "the custom aggregate has a sort, which it does not take; order inside the aggregate call, e.g. "
                    + "string_agg({title}, ', ' ORDER BY {title})";
        }
        String outside = outside(custom.sql(),
                "the subquery over the related records before the condition that relates them");
        if (outside != null) {
            return "the custom aggregate's SQL " + outside + "; write one aggregate expression whose parentheses, "
                    + "strings and comments close within it, e.g. string_agg({title}, ', ')";
        }
        for (AttributeMarks.Mark mark : AttributeMarks.of(custom.sql())) {
            if (destination.attribute(mark.attribute()).isEmpty()) {
                return "the custom aggregate's SQL names {" + mark.attribute() + "}, which " + destination.name()
                        + " does not have; name one of " + names(destination);
            }
            if (mark.depth() == 0) {
                return "the custom aggregate's SQL names {" + mark.attribute() + "} outside any function call, so it "
                        + "aggregates nothing: wrap it in an aggregate function, e.g. max({" + mark.attribute()
                        + "}) or string_agg({" + mark.attribute() + "}, ', ')";
            }
        }
        try {
            // The same marks-and-values rule as a condition written in SQL.
            new Filter.Sql(custom.sql(), custom.values());
            return null;
        } catch (QueryException e) {
            return "the custom aggregate's " + e.getMessage();
        }
    }

    /**
     * Why a custom aggregate's SQL would reach out of the subquery it is written into, or null. The data layer writes it
     * as {@code (SELECT (sql) FROM <related> WHERE <related to this row> HAVING true)}: a parenthesis it closes without
     * opening would end that subquery before its condition (aggregating every row of the table, of every tenant that
     * shares it), a {@code ;} would end the read's statement, and a string, quoted name or comment left open would
     * swallow the rest of the read. A read's statement written by hand ({@code Read.from}) is held in parentheses
     * the same way.
     *
     * @param closing what a parenthesis closed too early would end, for the message
     */
    public static String outside(String sql, String closing) {
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int next = SqlTokens.skipToken(sql, i, false);
            // A token that closes ends where it ends whatever follows; an open one runs on into what follows.
            if (next == sql.length() && SqlTokens.skipToken(sql + ' ', i, false) != next) {
                return "leaves the string, quoted name or comment at character " + (i + 1) + " open, so it would "
                        + "swallow the rest of the read";
            }
            if (c == ';') {
                return "holds a ';' at character " + (i + 1) + ", which would end the read's statement";
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0) {
                return "closes a parenthesis at character " + (i + 1) + " that it did not open, which would end " + closing;
            }
            i = next;
        }
        return depth > 0 ? "leaves " + depth + " parenthesis(es) open" : null;
    }

    /** The options that only some kinds take: a default, uniq and include_nil. */
    private static String options(Aggregate aggregate, String kind) {
        Aggregate.Kind k = aggregate.kind();
        if (aggregate.defaultValue() != null && (k == Aggregate.Kind.COUNT || k == Aggregate.Kind.COUNT_DISTINCT
                || k == Aggregate.Kind.EXISTS || k == Aggregate.Kind.LIST)) {
            String none = k == Aggregate.Kind.LIST ? "an empty list" : k == Aggregate.Kind.EXISTS ? "false" : "0";
            return "the " + kind + " aggregate has a default, but a " + kind + " is never null (" + none
                    + " when nothing is related); remove withDefault(...)";
        }
        if (aggregate.uniq() && k != Aggregate.Kind.LIST) {
            return "the " + kind + " aggregate is uniq, which only a list takes; " + (k == Aggregate.Kind.COUNT
                    ? "count different values with countDistinct(...)" : "remove withUniq()");
        }
        if (aggregate.includeNil() && !k.ordered()) {
            return "the " + kind + " aggregate includes nils, which only first and list take (the others skip nulls "
                    + "as SQL does); remove withIncludeNil()";
        }
        return null;
    }

    /**
     * @param ordered whether the path's last relationship has a sort, which orders an aggregate given none, or the
     *                path reaches one record at most (each step a belongsTo onto a key or a sorted has-one), so none
     *                is needed
     */
    private String field(Aggregate aggregate, String kind, Resource destination, boolean ordered) {
        if (aggregate.kind() == Aggregate.Kind.FIRST && aggregate.sorts().isEmpty() && !ordered) {
            return "the first aggregate needs an order to say which record is first, e.g. .first(\"" + aggregate.name()
                    + "\", \"" + aggregate.relationship() + "\", \"" + aggregate.field() + "\", Sort.desc(\"id\")), "
                    + "or a relationship with a sort at the end of its path";
        }
        for (Sort sort : aggregate.sorts()) {
            if (!sort.byExpression() && sort.field().indexOf('.') < 0 && !sort.count() && destination.attribute(sort.field()).isEmpty()
                    && destination.aggregate(sort.field()).isEmpty() && destination.calculation(sort.field()).isEmpty()) {
                return "the " + kind + " aggregate sorts by '" + sort.field() + "', which " + destination.name()
                        + " does not have; sort by one of " + names(destination) + ", or one of its aggregates or "
                        + "calculations";
            }
        }
        if (!aggregate.takesField()) {
            return aggregate.field() == null ? null : "the " + kind + " aggregate takes no attribute, but is given '"
                    + aggregate.field() + "'; remove it";
        }
        Type type = aggregate.field() == null ? null : fieldType(resources, destination, aggregate.field());
        if (type == null && aggregate.field() != null && destination.aggregate(aggregate.field()).isPresent()) {
            return "the " + kind + " aggregate takes " + destination.name() + "'s aggregate '" + aggregate.field()
                    + "', which aggregates over aggregates that lead back to it; take an attribute instead";
        }
        if (type == null) {
            return "the " + kind + " aggregate takes attribute '" + aggregate.field() + "', which " + destination.name()
                    + " does not have; name one of " + names(destination) + ", or one of its aggregates or "
                    + "calculations";
        }
        Optional<Attribute> converted = aggregate.field() == null ? Optional.empty()
                : destination.attribute(aggregate.field()).filter(a -> a.converter() != null);
        if ((aggregate.kind() == Aggregate.Kind.SUM || aggregate.kind() == Aggregate.Kind.AVG) && converted.isPresent()) {
            return "the " + kind + " aggregate takes " + destination.name() + "." + aggregate.field() + ", whose "
                    + "values are stored by a converter: its " + kind + " would add the stored values, not the Java "
                    + "values they stand for; take min, max, count or countDistinct of it, or a calculation";
        }
        if ((aggregate.kind() == Aggregate.Kind.SUM || aggregate.kind() == Aggregate.Kind.AVG) && !type.isNumber()) {
            return "the " + kind + " aggregate takes " + destination.name() + "." + aggregate.field() + " of type "
                    + type + ", but " + kind + " needs a number attribute (integer, bigint, numeric, real, double)";
        }
        if ((aggregate.kind() == Aggregate.Kind.MIN || aggregate.kind() == Aggregate.Kind.MAX)
                && type instanceof Type.Ltree) {
            // The ltree extension orders paths (btree) but defines no min(ltree) or max(ltree).
            return "the " + kind + " aggregate takes " + destination.name() + "." + aggregate.field() + ", an ltree, "
                    + "which PostgreSQL has no " + kind + " of; use first(\"" + aggregate.name() + "\", \""
                    + aggregate.relationship() + "\", \"" + aggregate.field() + "\", Sort."
                    + (aggregate.kind() == Aggregate.Kind.MIN ? "asc" : "desc") + "(\"" + aggregate.field() + "\"))";
        }
        if (aggregate.kind() == Aggregate.Kind.LIST && (type instanceof Type.Array || type instanceof Type.Vector)) {
            return "the list aggregate takes " + destination.name() + "." + aggregate.field() + ", an array; a list "
                    + "of arrays is not supported, list a scalar attribute";
        }
        return null;
    }

    private static List<String> names(Resource resource) {
        return resource.attributes().stream().map(Attribute::name).toList();
    }
}
