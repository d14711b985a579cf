package dev.ashlar.api.typed;

import dev.ashlar.api.resource.Calculation;
import dev.ashlar.api.resource.ResourceBuilder;

/**
 * A declared calculation of a resource as a field ({@link Table#calculate}): added to the resource's builder like an
 * attribute, loaded with {@code TypedRead.load}, filtered and sorted on like any field. Read-only: it is computed
 * from the stored row, so a change of it is refused.
 *
 * <pre>{@code
 * static final CalculationField<User, String> FULL_NAME = USERS.calculate("full_name", String.class,
 *         "first_name || ' ' || last_name");
 *
 * ashlar.read(USERS).where(FULL_NAME.eq("Ada Lovelace")).sort(FULL_NAME.asc()).load(FULL_NAME).list(UserView.class);
 * }</pre>
 *
 * @param <R> the record type of the resource the calculation belongs to
 * @param <T> the Java type of its values
 */
public final class CalculationField<R extends Record, T> extends Field<R, T> {
    private final Calculation declared;

    CalculationField(Table<R> table, Calculation declared, Kind<T> kind) {
        super(table, declared.name(), kind, a -> { }, false);
        this.declared = declared;
    }

    /** The declaration it adds to the resource. */
    public Calculation declared() {
        return declared;
    }

    /** Declares the calculation on the builder. */
    @Override
    public void addTo(ResourceBuilder builder) {
        builder.calculation(declared);
    }
}
