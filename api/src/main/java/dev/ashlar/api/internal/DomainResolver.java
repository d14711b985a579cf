package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException;
import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.*;
import dev.ashlar.api.sql.Identifiers;
import dev.ashlar.api.sql.Names;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Resolves the relationships of a domain's resources and collects every problem with them. */
public final class DomainResolver {
    /** The types an optimistic-lock version may have: a number counted up, or a time moved forward. */
    private static final Set<Type> VERSION_TYPES = Set.of(Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.TIMESTAMPTZ,
            Type.TIMESTAMP);
    /** The types a soft delete's mark may have: when the record was deleted, or whether it was. */
    private static final Set<Type> SOFT_DELETE_TYPES = Set.of(Type.TIMESTAMPTZ, Type.TIMESTAMP, Type.BOOLEAN);
    /** The columns every table has (the "System Columns" chapter of PostgreSQL's documentation), in its order. */
    private static final List<String> SYSTEM_COLUMNS = List.of("tableoid", "xmin", "cmin", "xmax", "cmax", "ctid");

    private final String domain;
    private final List<Resource> declared;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Resource> byName = new LinkedHashMap<>();

    public DomainResolver(String domain, List<Resource> declared) {
        this.domain = domain;
        this.declared = declared;
    }

    public Map<String, Resource> resolve() {
        if (domain == null || domain.isBlank()) {
            problems.add(new Problem(null, null, "the domain needs a name: Domain.builder(\"blog\")"));
        }
        indexByName();
        JoinedInheritance.inherit(byName, problems);
        byName.values().forEach(this::checkNames);
        addBelongsToKeys();
        JoinedInheritance.resolveParents(byName);
        Map<String, Resource> resolved = new LinkedHashMap<>();
        byName.values().forEach(r -> resolved.put(r.name(), resolveOthers(r)));
        resolved.values().forEach(this::checkColumns);
        resolved.values().forEach(this::checkIdentities);
        resolved.values().forEach(this::checkKnownConstraints);
        resolved.values().forEach(this::checkWriteOptions);
        AggregateRules aggregates = new AggregateRules(resolved);
        resolved.values().forEach(r -> problems.addAll(aggregates.check(r)));
        resolved.values().forEach(r -> problems.addAll(CalculationRules.check(r)));
        if (!problems.isEmpty()) {
            throw new DefinitionException(domain, problems);
        }
        return resolved;
    }

    /** Several resources may share a table, as in AshPostgres: the schema builder merges their columns. */
    private void indexByName() {
        for (Resource resource : declared) {
            if (resource.name() == null || resource.name().isBlank()) {
                problems.add(new Problem(null, null, "a resource has an empty name; give it one with "
                        + "Resource.builder(\"name\")"));
                continue;
            }
            if (byName.putIfAbsent(resource.name(), resource) != null) {
                problem(resource, null, "is added twice; resource names must be unique in a domain");
                continue;
            }
        }
    }

    private void checkNames(Resource resource) {
        // Not written into SQL, but named in messages, logs and plugins' objects: held to the same limit as
        // everything it names, so that no name of the domain is cut.
        // A polymorphic resource's name in one of its tables (comment@post_comments) is checked as its two parts.
        checkIdentifier(resource, null, Resource.withoutTable(resource.name()), "give the resource a shorter name");
        checkIdentifier(resource, "table", resource.table(), "set another with .table(...)");
        if (resource.tableOptions().migrated() && Identifiers.problem(resource.table()) == null) {
            // The primary key and the timestamp trigger are named after the table: a table name near the limit makes
            // their names go over it.
            checkDerived(resource, Names.primaryKey(resource.table()), "the primary key's name");
            if (resource.tableOptions().timestampTrigger()) {
                checkDerived(resource, Names.timestampTrigger(resource.table()), "the name of the timestamps' trigger");
            }
        }
        checkPathSafe(resource, "table", resource.table());
        if (resource.schema() != null) {
            checkIdentifier(resource, "schema", resource.schema(), "set another with .schema(...)");
            checkPathSafe(resource, "schema", resource.schema());
        }
        Set<String> fields = new HashSet<>();
        for (Attribute attribute : columnsAnywhere(resource)) {
            checkFieldName(resource, attribute.name(), "rename the attribute");
            if (!fields.add(attribute.name())) {
                problem(resource, attribute.name(), "is declared twice; attribute names must be unique");
            }
            if (attribute.defaultValue() instanceof Default.Value constant && !DefaultValues.writable(constant.value())) {
                problem(resource, attribute.name(), "has a default of type " + constant.value().getClass().getName()
                        + ", which cannot be written as SQL; a default may be a " + DefaultValues.KINDS
                        + ", or an expression with Default.sql(\"...\")");
            } else if (attribute.defaultValue() instanceof Default.Value constant) {
                Type type = attribute.type() instanceof Type.Array array ? array.element() : attribute.type();
                String problem = DefaultValues.problem(constant.value(),
                        type instanceof Type.Text text ? text.maxLength() : null);
                // A column declared with a type of its own SQL is not checked against the attribute's type.
                String typeProblem = attribute.column().migrationType() != null ? null
                        : DefaultValues.typeProblem(constant.value(), attribute.type());
                if (problem != null) {
                    problem(resource, attribute.name(), "has a default that " + problem);
                } else if (typeProblem != null) {
                    problem(resource, attribute.name(), "has a default " + typeProblem);
                }
            }
            if (attribute.generated() && attribute.type() != Type.INTEGER && attribute.type() != Type.BIGINT) {
                problem(resource, attribute.name(), "is generated, which needs INTEGER or BIGINT, not "
                        + attribute.type());
            }
            checkIdentityNumbering(resource, attribute);
        }
        for (Relationship relationship : resource.relationships()) {
            if (relationship.name() == null || relationship.name().isBlank()) {
                problem(resource, null, "has a relationship with an empty name");
            } else if (checkFieldName(resource, relationship.name(), "rename the relationship")
                    && !fields.add(relationship.name())) {
                problem(resource, relationship.name(), "is used twice; attributes and relationships share one "
                        + "namespace, so rename one of them");
            }
            if (relationship instanceof BelongsTo belongsTo) {
                checkIdentifier(resource, belongsTo.name(), belongsTo.attribute(),
                        "name a shorter key with .belongsTo(..., r -> r.attribute(\"...\"))");
            }
        }
        boolean keyFromBelongsTo = resource.relationships().stream()
                .anyMatch(r -> r instanceof BelongsTo b && b.primaryKey());
        if (resource.primaryKey().isEmpty() && !keyFromBelongsTo) {
            problem(resource, null, "has no primary key; add .integerPrimaryKey(\"id\"), .uuidPrimaryKey(\"id\") "
                    + "or an attribute with a -> a.primaryKey()");
        }
    }

    /**
     * Columns named apart from their attributes are identifiers too, and two attributes may not share a column: each
     * would overwrite the other's value. Checked once belongs-to keys are added, since they take columns as well.
     */
    private void checkColumns(Resource resource) {
        Map<String, String> owners = new LinkedHashMap<>();
        for (Attribute attribute : columnsAnywhere(resource)) {
            String column = attribute.columnName();
            if (attribute.column().name() != null) {
                checkIdentifier(resource, attribute.name(), column, "give attribute '" + attribute.name()
                        + "' a shorter column with a -> a.column(\"...\")");
            }
            if (resource.tableOptions().migrated() && SYSTEM_COLUMNS.contains(column)) {
                // CREATE TABLE would fail on it (42701) after the file is written; a table another tool owns may
                // still read one, as xmin for a row version.
                problem(resource, attribute.name(), "is stored in column '" + column + "', which PostgreSQL keeps for "
                        + "a system column of every table (" + String.join(", ", SYSTEM_COLUMNS) + "): give it "
                        + "another column with a -> a.column(\"...\")");
            }
            String owner = owners.putIfAbsent(column, attribute.name());
            if (owner != null && !owner.equals(attribute.name())) { // the same name twice is reported already
                problem(resource, attribute.name(), "is stored in column '" + column + "', which attribute '" + owner
                        + "' already uses; give one of them another column with a -> a.column(\"...\")");
            }
        }
    }

    /**
     * The resource's attributes and those stored only in its drafts ({@code a -> a.draftOnly()}), which the resource's
     * attributes leave out but which are fields and columns of its draft table all the same: their names, defaults and
     * columns are checked like the others'.
     */
    private static List<Attribute> columnsAnywhere(Resource resource) {
        List<Attribute> attributes = new ArrayList<>(resource.attributes());
        attributes.addAll(resource.tableOptions().draftOnly());
        return attributes;
    }

    /** Adds the key attribute of every belongs-to, typed like the key it references. */
    private void addBelongsToKeys() {
        List<Pending> pending = new ArrayList<>();
        for (Resource resource : byName.values()) {
            for (Relationship relationship : resource.relationships()) {
                if (relationship instanceof BelongsTo belongsTo) {
                    pending.add(new Pending(resource.name(), belongsTo));
                }
            }
        }
        // A key may reference another belongs-to key (a profile keyed by its user's id), so resolve
        // in rounds until nothing moves; what is left references itself in a cycle.
        boolean progress = true;
        while (progress && !pending.isEmpty()) {
            progress = pending.removeIf(this::tryResolve);
        }
        for (Pending left : pending) {
            problem(byName.get(left.resource()), left.belongsTo().name(), "references '"
                    + left.belongsTo().destination() + "' through a cycle of primary keys; one key must be declared "
                    + "as a plain attribute");
        }
    }

    /** @return whether the pending relationship was settled (resolved or reported) */
    private boolean tryResolve(Pending pending) {
        Resource resource = byName.get(pending.resource());
        BelongsTo belongsTo = pending.belongsTo();
        Resource destination = byName.get(belongsTo.destination());
        if (destination == null) {
            unknownDestination(resource, belongsTo, belongsTo.destination());
            return true;
        }
        Optional<Attribute> key = referencedKey(destination, belongsTo);
        if (key.isEmpty()) {
            boolean waiting = destination.relationships().stream().anyMatch(r -> r instanceof BelongsTo b
                    && b.primaryKey() && destination.attribute(b.attribute()).isEmpty());
            if (!waiting) {
                reportMissingKey(resource, belongsTo, destination);
            }
            return !waiting;
        }
        Attribute referenced = key.get();
        Optional<Attribute> declaredKey = resource.attribute(belongsTo.attribute());
        refuseExpressions(resource, belongsTo, destination, referenced);
        declaredKey.ifPresent(declared -> refuseExpressions(resource, belongsTo, resource, declared));
        if (declaredKey.isPresent() && !declaredKey.get().type().equals(referenced.type())) {
            problem(resource, belongsTo.name(), "references " + destination.name() + "." + referenced.name()
                    + " of type " + referenced.type() + ", but its attribute '" + belongsTo.attribute() + "' is "
                    + declaredKey.get().type() + "; declare it as " + referenced.type()
                    + " or remove it and let the relationship add it");
        } else if (declaredKey.isPresent() && !java.util.Objects.equals(declaredKey.get().converter(),
                referenced.converter())) {
            // Keys read through different converters (or one without) never match when related records are loaded.
            problem(resource, belongsTo.name(), "references " + destination.name() + "." + referenced.name()
                    + (referenced.converter() == null ? ", which has no converter" : " stored by "
                    + referenced.converter()) + ", but its attribute '" + belongsTo.attribute() + "' is "
                    + (declaredKey.get().converter() == null ? "not converted" : "stored by "
                    + declaredKey.get().converter()) + "; declare it with the same converter, or remove it and let "
                    + "the relationship add it");
        }
        List<Attribute> attributes = new ArrayList<>(resource.attributes());
        if (declaredKey.isEmpty()) {
            // The key holds the referenced key's values, so it converts them alike: a Status key is a Status here.
            String convertedType = referenced.converter() == null ? null : referenced.converter().migrationType();
            attributes.add(new Attribute(belongsTo.attribute(), referenced.type(), belongsTo.nullable(),
                    belongsTo.primaryKey(), false, null, convertedType == null ? ColumnOptions.NONE
                    : new ColumnOptions(convertedType, null, false), referenced.converter()));
        }
        List<Relationship> relationships = new ArrayList<>(resource.relationships());
        relationships.set(relationships.indexOf(belongsTo), belongsTo.withDestinationAttribute(referenced.name()));
        byName.put(resource.name(), resource.withAttributesAndRelationships(attributes, relationships));
        return true;
    }

    private Optional<Attribute> referencedKey(Resource destination, BelongsTo belongsTo) {
        if (belongsTo.destinationAttribute() != null) {
            return destination.attribute(belongsTo.destinationAttribute());
        }
        List<Attribute> key = destination.primaryKey();
        return key.size() == 1 ? Optional.of(key.get(0)) : Optional.empty();
    }

    private void reportMissingKey(Resource resource, BelongsTo belongsTo, Resource destination) {
        if (belongsTo.destinationAttribute() != null) {
            problem(resource, belongsTo.name(), "references attribute '" + belongsTo.destinationAttribute()
                    + "', which resource '" + destination.name() + "' does not have");
        } else {
            problem(resource, belongsTo.name(), "references '" + destination.name() + "', whose primary key has "
                    + destination.primaryKey().size() + " attributes; name the referenced attribute with "
                    + "r -> r.destinationAttribute(\"...\")");
        }
    }

    private Resource resolveOthers(Resource resource) {
        List<Relationship> resolved = new ArrayList<>();
        for (Relationship relationship : resource.relationships()) {
            resolved.add(resolve(resource, relationship));
        }
        return resource.withAttributesAndRelationships(resource.attributes(), resolved);
    }

    private Relationship resolve(Resource resource, Relationship relationship) {
        if (relationship instanceof BelongsTo belongsTo) {
            checkUniqueTarget(resource, belongsTo);
            return belongsTo;
        }
        Resource destination = byName.get(relationship.destination());
        if (destination == null) {
            unknownDestination(resource, relationship, relationship.destination());
            return relationship;
        }
        if (resource.tableOptions().draftElements().contains(relationship.name())
                && !destination.tableOptions().draftable()) {
            problem(resource, relationship.name(), "is a draft element (draftElement()) of " + destination.name()
                    + ", which has no drafts to publish with the record's: declare " + destination.name()
                    + " with .draftable(), or remove draftElement()");
        } else if (resource.tableOptions().draftElements().contains(relationship.name())
                && !destination.tableOptions().liveWritesRefused()) {
            problem(resource, relationship.name(), "is a draft element (draftElement()) of " + destination.name()
                    + ", which takes live writes: publishing a " + resource.name() + " destroys its live "
                    + destination.name() + " records that have no draft, so one created directly in the table would "
                    + "be lost. Declare " + destination.name() + " with .draftable().refuseLiveWrites(), so that only "
                    + "publish writes its table, or remove draftElement()");
        }
        String source = relationship.sourceAttribute() != null ? relationship.sourceAttribute()
                : singleKey(resource, relationship);
        if (source == null) {
            return relationship;
        }
        Optional<Attribute> sourceAttribute = requireAttribute(resource, relationship, resource, source);
        if (relationship instanceof HasMany hasMany && hasMany.orderAttribute() != null) {
            // Loads sort by it, with or without attributes that link the records.
            requireAttribute(resource, relationship, destination, hasMany.orderAttribute())
                    .filter(order -> !order.type().equals(Type.INTEGER) && !order.type().equals(Type.BIGINT))
                    .ifPresent(order -> problem(resource, relationship.name(), "keeps positions in '"
                            + order.name() + "' of " + destination.name() + ", which is " + order.type()
                            + ": make it INTEGER"));
        }
        if (relationship instanceof HasMany hasMany && hasMany.noAttributes()) {
            return hasMany.resolve(source);   // loads key the related records by the source's own key
        }
        if (relationship instanceof HasOne hasOne && hasOne.noAttributes()) {
            return hasOne.resolve(source);
        }
        if (relationship instanceof HasMany hasMany) {
            matchTypes(resource, relationship, sourceAttribute, requireAttribute(resource, relationship, destination,
                    hasMany.destinationAttribute()), destination);
            return hasMany.resolve(source);
        }
        if (relationship instanceof HasOne hasOne) {
            matchTypes(resource, relationship, sourceAttribute, requireAttribute(resource, relationship, destination,
                    hasOne.destinationAttribute()), destination);
            return hasOne.resolve(source);
        }
        return resolveManyToMany(resource, (ManyToMany) relationship, destination, source, sourceAttribute);
    }

    private Relationship resolveManyToMany(Resource resource, ManyToMany relationship, Resource destination,
                                           String source, Optional<Attribute> sourceAttribute) {
        if (relationship.through() == null) {
            problem(resource, relationship.name(), "needs a join resource: r -> r.through(\"post_tag\")");
            return relationship;
        }
        Resource through = byName.get(relationship.through());
        if (through == null) {
            unknownDestination(resource, relationship, relationship.through());
            return relationship;
        }
        String destinationKey = relationship.destinationAttribute() != null ? relationship.destinationAttribute()
                : singleKey(destination, relationship);
        if (destinationKey == null) {
            return relationship;
        }
        Optional<Attribute> destinationAttribute = requireAttribute(resource, relationship, destination,
                destinationKey);
        matchTypes(resource, relationship, sourceAttribute,
                requireAttribute(resource, relationship, through, relationship.sourceAttributeOnJoin()), through);
        matchTypes(resource, relationship, destinationAttribute,
                requireAttribute(resource, relationship, through, relationship.destinationAttributeOnJoin()), through);
        return relationship.resolve(source, destinationKey);
    }

    private String singleKey(Resource resource, Relationship relationship) {
        List<Attribute> key = resource.primaryKey();
        if (key.size() != 1 && relationship.noAttributes()) {
            // Its loads hand each related record to its source by that key; it takes no sourceAttribute(...).
            problem(resource, relationship.name(), "has noAttributes(), and such a relationship keys its loads by "
                    + "the primary key of '" + resource.name() + "', which must be one attribute and is "
                    + (key.isEmpty() ? "none" : "(" + String.join(", ", key.stream().map(Attribute::name).toList())
                    + ")") + "; give '" + resource.name() + "' a single-attribute primary key, or relate the records "
                    + "through attributes (r -> r.sourceAttribute(...).destinationAttribute(...)) instead of "
                    + "noAttributes()");
            return null;
        }
        if (key.size() != 1) {
            problem(resource, relationship.name(), "needs a single-attribute key on '" + resource.name()
                    + "', whose primary key has " + key.size() + "; name it with r -> r.sourceAttribute(...) "
                    + "or r -> r.destinationAttribute(...)");
            return null;
        }
        return key.get(0).name();
    }

    private Optional<Attribute> requireAttribute(Resource owner, Relationship relationship, Resource holder,
                                                 String attribute) {
        Optional<Attribute> found = holder.attribute(attribute);
        if (found.isEmpty()) {
            problem(owner, relationship.name(), "needs attribute '" + attribute + "' on resource '" + holder.name()
                    + "', which it does not have; add it (or a belongsTo that adds it) or name the right one in the "
                    + "relationship's options");
        }
        found.ifPresent(linked -> refuseExpressions(owner, relationship, holder, linked));
        return found;
    }

    /** Relationships link, load and number records by their attributes as stored, not through readAs or writeAs. */
    private void refuseExpressions(Resource owner, Relationship relationship, Resource holder, Attribute linked) {
        if (linked.expressions().any()) {
            problem(owner, relationship.name(), "relates or orders records by " + holder.name() + "." + linked.name()
                    + ", which has readAs(...) or writeAs(...); a relationship matches its values as stored: remove "
                    + "them from '" + linked.name() + "' or relate the records by another attribute");
        }
    }

    private void matchTypes(Resource owner, Relationship relationship, Optional<Attribute> source,
                            Optional<Attribute> target, Resource targetResource) {
        if (source.isPresent() && target.isPresent() && !source.get().type().equals(target.get().type())) {
            problem(owner, relationship.name(), "links " + owner.name() + "." + source.get().name() + " ("
                    + source.get().type() + ") to " + targetResource.name() + "." + target.get().name() + " ("
                    + target.get().type() + "); both must have the same type");
        }
    }

    /**
     * PostgreSQL only lets a foreign key reference a primary key or a unique constraint. An attribute that is one of
     * several in the primary key or in an identity may be referenced too: a section completes the key with the other
     * columns (a reference's {@code matchWith}, AshPostgres's {@code match_with}) and checks the key it makes.
     */
    private void checkUniqueTarget(Resource resource, BelongsTo belongsTo) {
        Resource destination = byName.get(belongsTo.destination());
        if (destination == null || belongsTo.destinationAttribute() == null) {
            return;
        }
        String target = belongsTo.destinationAttribute();
        boolean unique = destination.primaryKey().stream().anyMatch(a -> a.name().equals(target))
                || destination.identities().stream()
                        .anyMatch(i -> i.fields().contains(target) && i.predicateOn(destination) == null);
        if (!unique) {
            problem(resource, belongsTo.name(), "references " + destination.name() + "." + target + ", which is in "
                    + "neither its primary key nor an identity without a predicate (where or base filter: PostgreSQL "
                    + "refuses a foreign key to a partial index); add .identity(\"unique_" + target + "\", \""
                    + target + "\") to '" + destination.name() + "'");
        }
    }

    private void checkIdentities(Resource resource) {
        Set<String> names = new HashSet<>();
        for (Identity identity : resource.identities()) {
            if (identity.name() == null || identity.name().isBlank()) {
                problem(resource, null, "has an identity with an empty name");
                continue;
            }
            if (!names.add(identity.name())) {
                problem(resource, identity.name(), "is declared twice; identity names must be unique");
            }
            if (identity.fields().isEmpty()) {
                problem(resource, identity.name(), "lists no attributes; name at least one");
            }
            for (String field : identity.fields()) {
                checkIdentityField(resource, identity, field);
            }
            checkIdentifier(resource, identity.name(), identity.indexOn(resource.table()), identity.indexName() != null
                    ? "it is the identity's indexName; give a shorter one"
                    : "it is the identity's index name; give the identity a shorter name or an indexName(...)");
            if (identity.where() != null && identity.where().isBlank()) {
                problem(resource, identity.name(), "has an empty where(...) predicate; give SQL such as "
                        + "\"deleted_at IS NULL\" or leave where out");
            }
        }
    }

    /** An identity names attributes, or calculations over the row's columns that its unique index holds. */
    private void checkIdentityField(Resource resource, Identity identity, String field) {
        if (resource.attribute(field).isPresent()) {
            return;
        }
        Optional<Calculation> calculation = resource.calculation(field);
        if (calculation.isEmpty()) {
            problem(resource, identity.name(), "lists attribute '" + field + "', which the resource does not have; "
                    + "it has " + resource.attributes().stream().map(Attribute::name).toList()
                    + (resource.calculations().isEmpty() ? "" : " and the calculations "
                    + resource.calculations().stream().map(Calculation::name).toList()));
            return;
        }
        String problem = CalculationRules.identityProblem(resource, calculation.get());
        if (problem != null) {
            problem(resource, identity.name(), problem);
        }
    }

    /** Constraints known by name need a field to report on and a name PostgreSQL can have; a base filter both forms. */
    private void checkKnownConstraints(Resource resource) {
        for (KnownConstraint known : resource.knownConstraints()) {
            String option = known.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " '" + known.name() + "'";
            if (known.field() == null || resource.attribute(known.field()).isEmpty()) {
                problem(resource, known.field(), "is named by the known " + option + ", but the resource has no such "
                        + "attribute; name one of " + resource.attributes().stream().map(Attribute::name).toList());
            }
            if (known.message() == null || known.message().isBlank()) {
                problem(resource, known.field(), "the known " + option + " needs a message for its field error");
            }
            checkIdentifier(resource, known.field(), known.name(), "it is the known " + option + "'s name; use the "
                    + "constraint's name exactly as the database has it");
        }
        BaseFilter base = resource.baseFilter();
        if (base != null && (base.sql() == null || base.sql().isBlank() || base.filter() == null)) {
            problem(resource, null, "has a base filter without " + (base.filter() == null ? "its filter" : "its SQL")
                    + "; give both: .baseFilter(\"deleted_at IS NULL\", Filter.isNil(\"deleted_at\"))");
        }
    }

    /**
     * The attributes the resource's write options name ({@code optimisticLock}, {@code createdBy}, {@code modifiedBy},
     * {@code softDelete}) must be ones it has, of a type the option can write.
     */
    private void checkWriteOptions(Resource resource) {
        checkNamed(resource, "optimisticLock", resource.optimisticLock(), VERSION_TYPES, "INTEGER", "versions records "
                + "in a whole number or a timestamp: make it INTEGER (or SMALLINT, BIGINT, TIMESTAMPTZ, TIMESTAMP)");
        checkNamed(resource, "createdBy", resource.createdBy(), null, "TEXT", null);
        checkNamed(resource, "modifiedBy", resource.modifiedBy(), null, "TEXT", null);
        if (resource.softDeleteClears()) {
            checkNamed(resource, "softDeleteClearing", resource.softDelete(), Set.of(Type.BOOLEAN), "BOOLEAN",
                    "clears a flag that says a record is live: make it BOOLEAN, or mark deleted records with "
                    + "softDelete(\"" + resource.softDelete() + "\") for a time");
            resource.attribute(resource.softDelete()).filter(a -> a.type() == Type.BOOLEAN)
                    .filter(a -> !(a.defaultValue() instanceof Default.Value v && Boolean.TRUE.equals(v.value())))
                    .ifPresent(a -> problem(resource, a.name(), "has a default other than true, but "
                            + "softDeleteClearing(\"" + a.name() + "\") keeps the records where it is true, so a new "
                            + "record would be born deleted; remove the default (true is given)"));
        } else {
            checkNamed(resource, "softDelete", resource.softDelete(), SOFT_DELETE_TYPES, "TIMESTAMPTZ", "marks a "
                    + "record deleted with the time or a flag: make it TIMESTAMPTZ (or TIMESTAMP, BOOLEAN)");
        }
    }

    /**
     * {@code generated(start, increment)} within what PostgreSQL's ascending sequence holds: it starts at 1 or more
     * (its default MINVALUE), below the type's largest value, and steps by 1 or more. A descending one ends at -1, and
     * a populated identity turned to count down would hand out the keys its rows hold, so neither is taken.
     */
    private void checkIdentityNumbering(Resource resource, Attribute attribute) {
        Long start = attribute.column().identityStart();
        Long increment = attribute.column().identityIncrement();
        if (start == null || increment == null) {
            return;
        }
        String written = "is generated(" + start + ", " + increment + "), but ";
        long largest = attribute.type() == Type.INTEGER ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (increment < 1) {
            problem(resource, attribute.name(), written + "an identity's increment must be 1 or more (Ashlar's "
                    + "identities count up); give a step such as 1");
        } else if (start < 1) {
            problem(resource, attribute.name(), written + "an identity's start must be 1 or more, the least value "
                    + "of PostgreSQL's sequence; give a start such as 1");
        } else if (start > largest) {
            problem(resource, attribute.name(), written + "the start passes " + largest + ", the largest "
                    + attribute.type() + "; give a smaller start or make the attribute BIGINT");
        }
    }

    /** An attribute an option names: refused when the resource has none, or when it is not of {@code types}. */
    private void checkNamed(Resource resource, String option, String field, Set<Type> types, String typical,
                            String typeFix) {
        if (field == null) {
            return;
        }
        Attribute attribute = resource.attribute(field).orElse(null);
        if (attribute == null) {
            problem(resource, field, "is named by " + option + "(\"" + field + "\"), but the resource has no such "
                    + "attribute; add .attribute(\"" + field + "\", " + typical + ") or name one of "
                    + resource.attributes().stream().map(Attribute::name).toList());
        } else if (attribute.converter() != null) {
            // The option writes the column's own values (a version counted up in SQL, the time, a name), which a
            // converter would not read back as it wrote them.
            problem(resource, field, "is stored by " + attribute.converter() + ", but " + option + "(\"" + field
                    + "\") writes the column's own values: declare it as " + attribute.type() + " without a converter");
        } else if (types != null && !types.contains(attribute.type())) {
            problem(resource, field, "is " + attribute.type() + ", but " + option + "(\"" + field + "\") " + typeFix);
        }
    }

    private void unknownDestination(Resource resource, Relationship relationship, String destination) {
        problem(resource, relationship.name(), "points at resource '" + destination + "', which is not in the "
                + "domain; add it with .resource(...) or fix the name (known: " + byName.keySet() + ")");
    }

    /** Whether the name can name a field; a problem naming the fix when it cannot. */
    private boolean checkFieldName(Resource resource, String name, String fix) {
        String problem = FieldNames.problem(name);
        if (problem != null) {
            problem(resource, name, "name '" + name + "' " + problem + "; " + fix);
        }
        return problem == null;
    }

    /** A name made of the table's and a suffix, which the table's name must leave room for. */
    private void checkDerived(Resource resource, String name, String what) {
        int suffix = name.length() - resource.table().length();
        checkIdentifier(resource, "table", name, "it is " + what + ", the table's name and '" + name.substring(
                name.length() - suffix) + "'; set a table name of at most " + (Identifiers.MAX_BYTES - suffix)
                + " bytes with .table(...)");
    }

    private void checkIdentifier(Resource resource, String field, String name, String fix) {
        String problem = Identifiers.problem(name);
        if (problem != null) {
            problem(resource, field, "name '" + name + "' " + problem + "; " + fix);
        }
    }

    private void checkPathSafe(Resource resource, String field, String name) {
        if (name != null && (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals(".."))) {
            problem(resource, field, "name '" + name + "' cannot contain '/' or '\\' or be '.' or '..', because it "
                    + "also names a snapshot folder");
        }
    }

    private void problem(Resource resource, String field, String message) {
        problems.add(new Problem(resource == null ? null : resource.name(), field, message));
    }

    private record Pending(String resource, BelongsTo belongsTo) {
    }
}
