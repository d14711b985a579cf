package dev.ashlar.api.resource;

/**
 * The statements a resource's writes run in place of the data layer's own (Hibernate's {@code @SQLInsert},
 * {@code @SQLUpdate} and {@code @SQLDelete}), set with {@link ResourceBuilder#createSql(String)},
 * {@link ResourceBuilder#updateSql(String)} and {@link ResourceBuilder#destroySql(String)}. Each {@code :name} mark is
 * the value of the attribute of that name, bound as the attribute binds its values.
 *
 * @param create the statement a create runs, once per record, or {@code null} for the data layer's own insert
 * @param update the statement an update by record runs, or {@code null} for the data layer's own
 * @param destroy the statement a destroy by record runs, or {@code null} for the data layer's own delete (or soft
 *                delete)
 */
public record WriteStatements(String create, String update, String destroy) {
}
