package dev.ashlar.kernel.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.CompositeType;
import dev.ashlar.kernel.schema.EnumType;
import dev.ashlar.kernel.schema.IdentitySequence;
import dev.ashlar.kernel.schema.Table;
import dev.ashlar.api.error.ProjectFileException;
import dev.ashlar.api.error.PluginException;
import dev.ashlar.spi.schema.ObjectKey;
import dev.ashlar.spi.schema.ObjectKind;
import dev.ashlar.spi.schema.SchemaObject;
import dev.ashlar.spi.schema.SchemaObject.Alteration;
import dev.ashlar.spi.schema.SchemaObject.ServerRequirement;
import dev.ashlar.spi.schema.Scope;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts tables to and from the snapshot JSON. Output is deterministic: keys sorted, two-space
 * indent, a final newline, so regenerating an unchanged table writes the same bytes.
 */
public final class SnapshotJson {
    /** The snapshot format's version, written in every file. */
    public static final int FORMAT = 1;

    // A field written twice (a merge resolved by keeping both sides' lines) is refused: read as its last value, the
    // snapshot would mean one side without a word.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String RESTORE = "Restore it from version control";
    private static final Set<String> TABLE_FIELDS = Set.of("format", "resource", "scope", "schema", "table", "dropped",
            "columns", "primary_key", "objects", "create_table_options");
    private static final Set<String> COLUMN_FIELDS = Set.of("name", "type", "nullable", "default", "identity", "kept",
            "identity_start", "identity_increment", "attribute", "enum_type", "composite_type");
    private static final Set<String> OBJECT_FIELDS = Set.of("name", "kind", "definition", "up", "down", "depends_on",
            "transactional", "requires", "only_on_table_drop", "main_scope", "concurrently", "alterations");

    private SnapshotJson() {
    }

    /** The JSON text of a table, or of a tombstone when {@code table} was dropped. */
    public static String write(Table table, boolean dropped) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("resource", table.resource());
        json.put("scope", table.scope().name().toLowerCase(Locale.ROOT));
        json.put("schema", table.schema());
        json.put("table", table.name());
        json.put("dropped", dropped);
        if (!dropped) {
            json.put("columns", table.columns().stream().map(SnapshotJson::column).toList());
            json.put("primary_key", table.primaryKey());
            json.put("objects", table.objects().stream().map(SnapshotJson::object).toList());
            if (table.options() != null) {
                // Written only when set, so that snapshots of tables without options keep their bytes.
                json.put("create_table_options", table.options());
            }
        }
        try {
            return WRITER.writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw ProjectFileException.of(null, "Cannot write the snapshot of table " + table.key()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    /** A parsed snapshot: the table, and whether the snapshot records its removal. */
    public record Parsed(Table table, boolean dropped) {
    }

    /**
     * The table a snapshot's text records.
     *
     * @throws ProjectFileException naming the file when the text is no JSON, of a newer format, or misses a field
     */
    public static Parsed read(String text, String file) {
        JsonFields json = parse(text, file);
        try {
            boolean dropped = json.optionalFlag("dropped");
            List<Column> columns = new ArrayList<>();
            List<SchemaObject> objects = new ArrayList<>();
            if (!dropped) {
                for (JsonFields column : json.requiredObjects("columns")) {
                    columns.add(new Column(column.text("name"), column.text("type"), column.flag("nullable"),
                            column.optionalText("default"), column.flag("identity"), column.optionalFlag("kept"),
                            column.optionalText("attribute"), enumType(column.optionalObject("enum_type")),
                            compositeType(column.optionalObject("composite_type")),
                            IdentitySequence.of(column.optionalLong("identity_start"),
                                    column.optionalLong("identity_increment"))));
                    // After the fields read, so that a field renamed by hand is reported as the one missing.
                    column.withOnly(COLUMN_FIELDS);
                }
                for (JsonFields object : json.requiredObjects("objects")) {
                    objects.add(object(object));
                    object.withOnly(OBJECT_FIELDS);
                }
            }
            List<String> key = dropped ? List.of() : json.texts("primary_key");
            Table table = new Table(json.constant("scope", Scope.class), json.optionalText("schema"),
                    json.text("table"), json.optionalText("resource"), columns, key, objects,
                    json.optionalText("create_table_options"));
            json.withOnly(TABLE_FIELDS);
            TableConsistency.check(table);
            return new Parsed(table, dropped);
        } catch (RuntimeException e) {
            throw invalid(file, e.getMessage(), e);
        }
    }

    /**
     * The top object of a snapshot's text, of a format this version reads. A snapshot written before formats were
     * numbered has none, and reads as the first.
     */
    private static JsonFields parse(String text, String file) {
        if (text.isBlank()) {
            throw invalid(file, "it is empty", null);
        }
        JsonFields json;
        try {
            json = JsonFields.of(MAPPER.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            // Jackson's own message repeats the start of the text; the line and column say where to look.
            throw ProjectFileException.of(file, "Snapshot " + file + " is not valid JSON at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage() + ". " + RESTORE, e);
        } catch (JsonFields.Invalid e) {
            throw invalid(file, e.getMessage(), e);
        }
        int format;
        try {
            format = json.has("format") ? json.whole("format") : FORMAT;
        } catch (JsonFields.Invalid e) {
            throw invalid(file, e.getMessage(), e);
        }
        if (format > FORMAT) {
            throw ProjectFileException.of(file, "Snapshot " + file + " is of format " + format + ", written by a newer "
                    + "version of Ashlar; this one reads format " + FORMAT + " and older. Generate with the newer "
                    + "version, or upgrade Ashlar to it (everyone who generates migrations for the project needs it)");
        }
        if (format < 1) {
            throw invalid(file, "'format' is " + format + ", where a format from 1 to " + FORMAT + " belongs", null);
        }
        return json;
    }

    private static ProjectFileException invalid(String file, String problem, Throwable cause) {
        return ProjectFileException.of(file, "Snapshot " + file + " is not valid: " + problem + ". " + RESTORE
                + ", or delete it to have codegen treat the table as new.", cause);
    }

    /** The JSON text of the extensions a domain needs. */
    public static String writeExtensions(List<String> extensions) {
        return writeExtensions(extensions, Map.of());
    }

    /**
     * The JSON text of the extensions a domain needs and the versions of its custom extensions, by name; a file
     * without custom extensions has no such field, as before there were any.
     */
    public static String writeExtensions(List<String> extensions, Map<String, Integer> customVersions) {
        Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("extensions", extensions);
        if (!customVersions.isEmpty()) {
            json.put("custom_extensions", customVersions.entrySet().stream()
                    .map(e -> Map.of("name", e.getKey(), "version", e.getValue())).toList());
        }
        try {
            return WRITER.writeValueAsString(json) + "\n";
        } catch (JsonProcessingException e) {
            throw ProjectFileException.of(null, "Cannot write the extensions snapshot: " + e.getOriginalMessage(), e);
        }
    }

    /** The extensions an extensions snapshot records. */
    public static List<String> readExtensions(String text, String file) {
        JsonFields json = parse(text, file);
        try {
            return json.texts("extensions");
        } catch (JsonFields.Invalid e) {
            throw ProjectFileException.of(file, "Snapshot " + file + " is not valid: " + e.getMessage() + ". "
                    + RESTORE + ".", e);
        }
    }

    /** The versions of the custom extensions an extensions snapshot records, by name, in the order written. */
    public static Map<String, Integer> readCustomExtensions(String text, String file) {
        Map<String, Integer> versions = new java.util.LinkedHashMap<>();
        try {
            for (JsonFields extension : parse(text, file).objects("custom_extensions")) {
                versions.put(extension.text("name"), extension.whole("version"));
            }
        } catch (JsonFields.Invalid e) {
            throw ProjectFileException.of(file, "Snapshot " + file + " is not valid: " + e.getMessage() + ". "
                    + RESTORE + ".", e);
        }
        return versions;
    }

    /**
     * A definition as it reads back from JSON, so that a freshly contributed object and its stored
     * snapshot compare equal (an {@code int} read back may be a {@code Long}, a set a list, ...).
     */
    public static Map<String, Object> canonical(Map<String, Object> definition) {
        try {
            return MAPPER.readValue(MAPPER.writeValueAsString(definition), MAP);
        } catch (JsonProcessingException e) {
            throw new PluginException("A schema object's definition is not plain JSON data: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static EnumType enumType(JsonFields type) {
        return type == null ? null : new EnumType(type.text("name"), type.texts("labels"));
    }

    private static CompositeType compositeType(JsonFields type) {
        return type == null ? null : new CompositeType(type.text("name"), type.requiredObjects("fields").stream()
                .map(f -> new CompositeType.Field(f.text("name"), f.text("type"))).toList());
    }

    private static Map<String, Object> column(Column column) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", column.name());
        json.put("type", column.type());
        json.put("nullable", column.nullable());
        json.put("default", column.defaultSql());
        json.put("identity", column.identity());
        if (column.kept()) {
            json.put("kept", true);
        }
        // Only where they are not PostgreSQL's 1 and 1, so that snapshots of other identities stay as they were.
        if (column.sequence() != null) {
            json.put("identity_start", column.sequence().start());
            json.put("identity_increment", column.sequence().increment());
        }
        // Only where it differs, so that snapshots of columns named like their attributes stay as they were.
        if (column.attribute() != null) {
            json.put("attribute", column.attribute());
        }
        if (column.enumType() != null) {
            json.put("enum_type", Map.of("name", column.enumType().name(), "labels", column.enumType().labels()));
        }
        if (column.compositeType() != null) {
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("name", column.compositeType().name());
            type.put("fields", column.compositeType().fields().stream().map(f -> {
                Map<String, Object> field = new LinkedHashMap<>();
                field.put("name", f.name());
                field.put("type", f.type());
                return field;
            }).toList());
            json.put("composite_type", type);
        }
        return json;
    }

    private static Map<String, Object> object(SchemaObject object) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", object.name());
        json.put("kind", object.kind().name());
        json.put("definition", object.definition());
        json.put("up", object.up());
        json.put("down", object.down());
        json.put("depends_on", object.dependsOn().stream().map(ObjectKey::toString).toList());
        json.put("transactional", object.transactional());
        if (object.requires() != null) {
            json.put("requires", Map.of("major_version", object.requires().majorVersion(),
                    "feature", object.requires().feature()));
        }
        if (object.onlyOnTableDrop()) {
            // Written only when set, so that snapshots of ordinary objects keep their bytes.
            json.put("only_on_table_drop", true);
        }
        if (object.mainScope()) {
            json.put("main_scope", true);
        }
        SchemaObject.OnExistingTable concurrently = object.onExistingTable();
        if (concurrently != null && !concurrently.transactional()) {
            // An index built concurrently on a table that stays is dropped the same way when it goes: the drop is
            // planned from the snapshot, so the concurrent form is kept there.
            json.put("concurrently", Map.of("up", concurrently.up(), "down", concurrently.down()));
        }
        if (!object.alterations().isEmpty()) {
            json.put("alterations", object.alterations().stream()
                    .map(SnapshotJson::alteration).toList());
        }
        return json;
    }

    private static SchemaObject object(JsonFields json) {
        JsonFields requires = json.optionalObject("requires");
        JsonFields concurrently = json.optionalObject("concurrently");
        return new SchemaObject(json.text("name"), ObjectKind.of(json.text("kind")), json.data("definition"),
                json.optionalText("up"), json.optionalText("down"),
                json.texts("depends_on").stream().map(ObjectKey::parse).toList(), json.flag("transactional"),
                requires == null ? null : new ServerRequirement(requires.whole("major_version"),
                        requires.optionalText("feature")),
                json.optionalFlag("only_on_table_drop"), json.objects("alterations").stream()
                .map(a -> new Alteration(a.texts("keys"), a.text("sql"))).toList(),
                concurrently == null ? null : SchemaObject.OnExistingTable.concurrently(concurrently.text("up"),
                        concurrently.optionalText("down")), json.optionalFlag("main_scope"));
    }

    private static Map<String, Object> alteration(Alteration alteration) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keys", alteration.keys());
        json.put("sql", alteration.sql());
        return json;
    }
}
