package dev.ashlar.api.internal;

import dev.ashlar.api.error.DefinitionException.Problem;
import dev.ashlar.api.resource.Attribute;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.Type;
import dev.ashlar.api.resource.Type.Composite;
import dev.ashlar.api.sql.Identifiers;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the attributes stored in composite types: the type's name, each field's type against its record
 * component, and that resources naming one type in one schema declare the same fields.
 */
final class CompositeTypesCheck {
    private final List<Problem> problems = new ArrayList<>();
    /** The first declaration of each type, by schema and name, with the attribute that made it. */
    private final Map<String, Declared> first = new LinkedHashMap<>();

    private record Declared(Resource resource, Attribute attribute, Composite type) {
        String owner() {
            return "attribute '" + attribute.name() + "' of resource '" + resource.name() + "'";
        }
    }

    private CompositeTypesCheck() {
    }

    /** Every problem of the resources' composite attributes. */
    static List<Problem> check(Collection<Resource> resources) {
        CompositeTypesCheck check = new CompositeTypesCheck();
        for (Resource resource : resources) {
            for (Attribute attribute : resource.attributes()) {
                if (attribute.type() instanceof Composite composite) {
                    check.attribute(new Declared(resource, attribute, composite));
                }
            }
        }
        return check.problems;
    }

    private void attribute(Declared declared) {
        Composite type = declared.type();
        String problem = Identifiers.problem(type.typeName());
        if (problem != null) {
            problem(declared, "is stored in composite type '" + type.typeName() + "', whose name " + problem
                    + "; name the type otherwise in Type.composite(...)");
            return;
        }
        RecordComponent[] components = type.recordType().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            field(declared, components[i], type.fields().get(i));
        }
        Declared other = first.putIfAbsent(declared.resource().schemaOrDefault() + "." + type.typeName(), declared);
        if (other != null && !other.type().fields().equals(type.fields())) {
            problem(declared, "is stored in composite type '" + type.typeName() + "' with fields " + fields(type)
                    + ", but " + other.owner() + " declares it with " + fields(other.type()) + ": one type has one "
                    + "list of fields. Declare the same fields in both, or name another type");
        }
    }

    private void field(Declared declared, RecordComponent component, Type.Composite.Field field) {
        String where = "is stored in composite type '" + declared.type().typeName() + "', whose field '"
                + field.name() + "' (" + declared.type().recordType().getSimpleName() + "." + field.name() + ", a "
                + component.getType().getSimpleName() + ")";
        String nameProblem = Identifiers.problem(field.name());
        if (nameProblem != null) {
            problem(declared, where + " has a name that " + nameProblem);
        } else if (field.type() == null) {
            problem(declared, where + " has no column type; make the component a String, BigDecimal, Integer, "
                    + "Long, Boolean, Double, Float, UUID, LocalDate, LocalTime, LocalDateTime, Instant or an enum, "
                    + "or store the whole value as JSON (Kind.jsonOf) instead");
        } else if (CompositeFields.javaType(field.type()) == null) {
            problem(declared, where + " is declared as " + field.type() + ", which a composite type's field cannot "
                    + "be here; use a scalar type, text, varchar(n), decimal or enumOf(...)");
        } else if (component.getType().isPrimitive()) {
            problem(declared, where + " cannot hold the null a field may have; declare the component as "
                    + ValueConversions.box(component.getType()).getSimpleName());
        } else if (!fits(field.type(), component.getType())) {
            problem(declared, where + " is declared as " + field.type() + ", which is read as a "
                    + CompositeFields.javaType(field.type()).getSimpleName() + "; declare a type of the component's "
                    + "Java type, e.g. " + CompositeFields.typeOf(component.getType()));
        }
    }

    /** Whether a field of the type reads into the component: the same Java type, or text into an enum. */
    private static boolean fits(Type type, Class<?> component) {
        return CompositeFields.javaType(type) == component
                || component.isEnum() && type instanceof Type.Enumerated;
    }

    private static List<String> fields(Composite type) {
        return type.fields().stream().map(f -> f.name() + " " + f.type()).toList();
    }

    private void problem(Declared declared, String message) {
        problems.add(new Problem(declared.resource().name(), declared.attribute().name(), message));
    }
}
