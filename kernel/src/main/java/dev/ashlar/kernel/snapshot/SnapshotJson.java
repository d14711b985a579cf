package dev.ashlar.kernel.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ashlar.kernel.schema.Column;
import dev.ashlar.kernel.schema.CompositeType;
import dev.ashlar.kernel.schema.EnumType;
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

/**
 * Converts tables to and from the snapshot JSON. Output is deterministic: keys sorted, two-space
 * indent, a final newline, so regenerating an unchanged table writes the same bytes.
 */
public final class SnapshotJson {
    /** The snapshot format's version, written in every file. */
    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

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

    @SuppressWarnings("unchecked")
    public static Parsed read(String text, String file) {
        try {
            Map<String, Object> json = MAPPER.readValue(text, MAP);
            Scope scope = Scope.valueOf(((String) json.get("scope")).toUpperCase(Locale.ROOT));
            boolean dropped = Boolean.TRUE.equals(json.get("dropped"));
            List<Column> columns = new ArrayList<>();
            List<SchemaObject> objects = new ArrayList<>();
            if (!dropped) {
                for (Map<String, Object> column : (List<Map<String, Object>>) json.get("columns")) {
                    columns.add(new Column((String) column.get("name"), (String) column.get("type"),
                            (Boolean) column.get("nullable"), (String) column.get("default"),
                            (Boolean) column.get("identity"), Boolean.TRUE.equals(column.get("kept")),
                            (String) column.get("attribute"), enumType(column.get("enum_type")),
                            compositeType(column.get("composite_type"))));
                }
                for (Map<String, Object> object : (List<Map<String, Object>>) json.get("objects")) {
                    objects.add(object(object));
                }
            }
            List<String> key = dropped ? List.of() : (List<String>) json.get("primary_key");
            return new Parsed(new Table(scope, (String) json.get("schema"), (String) json.get("table"),
                    (String) json.get("resource"), columns, key, objects, (String) json.get("create_table_options")),
                    dropped);
        } catch (JsonProcessingException | RuntimeException e) {
            throw ProjectFileException.of(file, "Snapshot " + file + " is not valid: " + e.getMessage()
                    + ". Restore it from version control, or delete it to have codegen treat the table as new.", e);
        }
    }

    /** The JSON text of the extensions a domain needs. */
    public static String writeExtensions(List<String> extensions) {
        try {
            return WRITER.writeValueAsString(Map.of("format", FORMAT, "extensions", extensions)) + "\n";
        } catch (JsonProcessingException e) {
            throw ProjectFileException.of(null, "Cannot write the extensions snapshot: " + e.getOriginalMessage(), e);
        }
    }

    /** The extensions an extensions snapshot records. */
    @SuppressWarnings("unchecked")
    public static List<String> readExtensions(String text, String file) {
        try {
            return List.copyOf((List<String>) MAPPER.readValue(text, MAP).get("extensions"));
        } catch (JsonProcessingException | RuntimeException e) {
            throw ProjectFileException.of(file, "Snapshot " + file + " is not valid: " + e.getMessage()
                    + ". Restore it from version control.", e);
        }
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

    @SuppressWarnings("unchecked")
    private static EnumType enumType(Object json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> type = (Map<String, Object>) json;
        return new EnumType((String) type.get("name"), (List<String>) type.get("labels"));
    }

    @SuppressWarnings("unchecked")
    private static CompositeType compositeType(Object json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> type = (Map<String, Object>) json;
        return new CompositeType((String) type.get("name"), ((List<Map<String, String>>) type.get("fields")).stream()
                .map(f -> new CompositeType.Field(f.get("name"), f.get("type"))).toList());
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

    @SuppressWarnings("unchecked")
    private static SchemaObject object(Map<String, Object> json) {
        Map<String, Object> requires = (Map<String, Object>) json.get("requires");
        return new SchemaObject((String) json.get("name"), ObjectKind.of((String) json.get("kind")),
                (Map<String, Object>) json.get("definition"), (String) json.get("up"), (String) json.get("down"),
                ((List<String>) json.get("depends_on")).stream().map(ObjectKey::parse).toList(),
                (Boolean) json.get("transactional"),
                requires == null ? null : new ServerRequirement(((Number) requires.get("major_version")).intValue(),
                        (String) requires.get("feature")),
                Boolean.TRUE.equals(json.get("only_on_table_drop")), alterations(json.get("alterations")),
                concurrently((Map<String, Object>) json.get("concurrently")), Boolean.TRUE.equals(json.get("main_scope")));
    }

    private static SchemaObject.OnExistingTable concurrently(Map<String, Object> json) {
        return json == null ? null
                : SchemaObject.OnExistingTable.concurrently((String) json.get("up"), (String) json.get("down"));
    }

    private static Map<String, Object> alteration(Alteration alteration) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("keys", alteration.keys());
        json.put("sql", alteration.sql());
        return json;
    }

    @SuppressWarnings("unchecked")
    private static List<Alteration> alterations(Object json) {
        if (json == null) {
            return List.of();
        }
        return ((List<Map<String, Object>>) json).stream()
                .map(a -> new Alteration((List<String>) a.get("keys"), (String) a.get("sql"))).toList();
    }
}
