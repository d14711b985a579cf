package dev.ashlar.kernel.inspect;

import dev.ashlar.api.internal.DomainOptionsCheck;
import dev.ashlar.api.resource.AttributeOptions;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.IdentityOptions;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.api.resource.ResourceBuilder;
import dev.ashlar.kernel.inspect.InspectedTable.BelongsTo;
import dev.ashlar.kernel.inspect.InspectedTable.Column;
import dev.ashlar.kernel.inspect.InspectedTable.Identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The resources an inspected database describes, both as a {@link Domain} (to record its snapshots)
 * and as the Java source of a {@code DomainProvider} that builds the same domain.
 *
 * @param sections how the tables' checks, indexes and key options are written as plugin sections
 */
public record InspectedDomain(String name, List<InspectedTable> tables, InspectedSections sections) {

    public InspectedDomain {
        tables = List.copyOf(tables);
    }

    /** The domain, built with the calls {@link #javaSource} writes. */
    public Domain domain() {
        List<Resource> resources = new ArrayList<>();
        for (InspectedTable table : tables) {
            ResourceBuilder builder = Resource.builder(table.name()).table(table.name());
            for (Column column : table.columns()) {
                builder.attribute(column.name(), column.type(), options -> options(column, options));
            }
            for (BelongsTo reference : table.belongsTo()) {
                builder.belongsTo(reference.relationship(), reference.destination(), o -> {
                    o.attribute(reference.column()).allowNil(!reference.notNull());
                    if (reference.destinationColumn() != null) {
                        o.destinationAttribute(reference.destinationColumn());
                    }
                });
            }
            for (Identity identity : table.identities()) {
                builder.identity(identity.name(), identity.columns(), options -> options(identity, options));
            }
            sections.of(table).forEach(builder::with);
            resources.add(builder.build());
        }
        return Domain.builder(name).extensions(extensions().toArray(String[]::new))
                .resources(resources.toArray(Resource[]::new)).build();
    }

    /** The extensions the columns' types need ({@code ltree} for a label path), in order. */
    private List<String> extensions() {
        return tables.stream().flatMap(t -> t.columns().stream()).map(c -> DomainOptionsCheck.extensionOf(c.type()))
                .filter(Objects::nonNull).distinct().sorted().toList();
    }

    private static void options(Column column, AttributeOptions options) {
        if (column.primaryKey()) {
            options.primaryKey();
        } else if (column.notNull()) {
            options.notNull();
        }
        if (column.renumbered()) {
            options.generated(column.identityStart(), column.identityIncrement());
        } else if (column.generated()) {
            options.generated();
        }
        if (column.defaultSql() != null) {
            options.defaultSql(column.defaultSql());
        }
    }

    /** The simple names of the types every generated file imports, which its class cannot be called. */
    /** What starts the comment over each part of a table the resource leaves out, for the user to finish by hand. */
    private static final String NOTE = "TODO not in the resource: ";

    public static final List<String> IMPORTED = List.of("Domain", "DomainProvider", "Resource", "Type");

    /**
     * The simple names of the types the generated file imports for these tables (the plugins' sections' too), which
     * its class cannot be called.
     */
    public List<String> importedNames() {
        List<String> names = new ArrayList<>(IMPORTED);
        sections.imports(tables).stream().filter(line -> !line.startsWith("import static"))
                .map(line -> line.substring(line.lastIndexOf('.') + 1).replace(";", "").strip()).forEach(names::add);
        return names;
    }

    /** The source of {@code packageName.className}, a DomainProvider returning {@link #domain()}. */
    public String javaSource(String packageName, String className) {
        StringBuilder java = new StringBuilder();
        java.append("package ").append(packageName).append(";\n\n");
        IMPORTED.forEach(type -> java.append("import dev.ashlar.api.resource.").append(type).append(";\n"));
        sections.imports(tables).stream().filter(line -> !line.startsWith("import static"))
                .forEach(line -> java.append(line).append('\n'));
        java.append("\nimport static dev.ashlar.api.resource.Type.*;\n");
        sections.imports(tables).stream().filter(line -> line.startsWith("import static"))
                .forEach(line -> java.append(line).append('\n'));
        java.append('\n')
                .append("/** The resources of the database as inspected by ashlar inspect: edit them from here on. */\n")
                .append("public final class ").append(className).append(" implements DomainProvider {\n")
                .append("    @Override\n    public Domain domain() {\n");
        List<String> variables = variables();
        for (int i = 0; i < tables.size(); i++) {
            InspectedTable table = tables.get(i);
            table.notes().forEach(note -> java.append("        // ").append(NOTE).append(note).append('\n'));
            java.append("        Resource ").append(variables.get(i)).append(" = Resource.builder(")
                    .append(literal(table.name())).append(").table(").append(literal(table.name())).append(")\n");
            table.columns().forEach(column -> java.append(attribute(column)));
            table.belongsTo().forEach(reference -> java.append(belongsTo(reference)));
            table.identities().forEach(identity -> java.append(identity(identity)));
            sections.source(table).forEach(section -> java.append("                .with(").append(section).append(")\n"));
            java.append("                .build();\n");
        }
        String extensions = extensions().stream().map(InspectedDomain::literal).collect(Collectors.joining(", "));
        java.append("        return Domain.builder(").append(literal(name)).append(")")
                .append(extensions.isEmpty() ? "" : ".extensions(" + extensions + ")").append(".resources(")
                .append(String.join(", ", variables))
                .append(").build();\n    }\n}\n");
        return java.toString();
    }

    private static void options(Identity identity, IdentityOptions options) {
        if (identity.indexName() != null) {
            options.indexName(identity.indexName());
        }
        if (identity.where() != null) {
            options.where(identity.where());
        }
        if (!identity.nullsDistinct()) {
            options.nullsDistinct(false);
        }
        if (identity.skipIndex()) {
            options.skipIndex();
        }
    }

    private static String identity(Identity identity) {
        String columns = identity.columns().stream().map(InspectedDomain::literal).collect(Collectors.joining(", "));
        List<String> calls = new ArrayList<>();
        if (identity.indexName() != null) {
            calls.add(".indexName(" + literal(identity.indexName()) + ")");
        }
        if (identity.where() != null) {
            calls.add(".where(" + literal(identity.where()) + ")");
        }
        if (!identity.nullsDistinct()) {
            calls.add(".nullsDistinct(false)");
        }
        if (identity.skipIndex()) {
            calls.add(".skipIndex()");
        }
        return "                .identity(" + literal(identity.name()) + ", " + (calls.isEmpty() ? columns
                : "java.util.List.of(" + columns + "), i -> i" + String.join("", calls)) + ")\n";
    }

    private static String belongsTo(BelongsTo reference) {
        return "                .belongsTo(" + literal(reference.relationship()) + ", " + literal(reference.destination())
                + ", o -> o.attribute(" + literal(reference.column()) + ").allowNil(" + !reference.notNull() + ")"
                + (reference.destinationColumn() == null ? ""
                : ".destinationAttribute(" + literal(reference.destinationColumn()) + ")") + ")\n";
    }

    private static String attribute(Column column) {
        List<String> calls = new ArrayList<>();
        if (column.primaryKey()) {
            calls.add(".primaryKey()");
        } else if (column.notNull()) {
            calls.add(".notNull()");
        }
        if (column.renumbered()) {
            calls.add(".generated(" + column.identityStart() + ", " + column.identityIncrement() + ")");
        } else if (column.generated()) {
            calls.add(".generated()");
        }
        if (column.defaultSql() != null) {
            calls.add(".defaultSql(" + literal(column.defaultSql()) + ")");
        }
        return "                .attribute(" + literal(column.name()) + ", " + column.javaType()
                + (calls.isEmpty() ? "" : ", a -> a" + String.join("", calls)) + ")\n";
    }

    /**
     * The tables' variables in the source, in camel case: {@code blog_posts} is {@code blogPostsTable}; tables whose
     * names differ only in what Java cannot say ({@code blog_posts}, {@code "blogPosts"}) are numbered, not merged.
     */
    private List<String> variables() {
        List<String> variables = new ArrayList<>();
        for (InspectedTable table : tables) {
            String variable = variable(table);
            String unique = variable;
            for (int n = 2; variables.contains(unique); n++) {
                unique = variable + n;
            }
            variables.add(unique);
        }
        return variables;
    }

    private static String variable(InspectedTable table) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : table.name().toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                upper = name.length() > 0;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return (name.length() == 0 || !Character.isLetter(name.charAt(0)) ? "t" : "") + name + "Table";
    }

    /** A Java string literal of the text. */
    public static String literal(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
