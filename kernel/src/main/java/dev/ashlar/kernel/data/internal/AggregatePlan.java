package dev.ashlar.kernel.data.internal;

import dev.ashlar.api.resource.Aggregate;
import dev.ashlar.api.resource.Type;

/**
 * A resource's declared aggregate as the data layer renders it, resolved once: the relationship it goes over, the
 * destination's column it takes, and the shape of its values as if it were a column of the resource (read-only).
 *
 * @param field the destination's column it takes; {@code null} for count and exists
 * @param value its values: the codec that reads them and binds the values compared with them
 */
record AggregatePlan(Aggregate declared, Link link, ColumnPlan field, ColumnPlan value) implements DerivedPlan {

    static AggregatePlan of(Aggregate declared, Link link) {
        ColumnPlan field = declared.kind().takesField() ? link.destination().column(declared.field()) : null;
        Type type = declared.type(field == null ? null : field.attribute().type());
        // min, max and first read as the column does (its migration type included); list as an array of it.
        Codec codec = switch (declared.kind()) {
            case MIN, MAX, FIRST -> field.codec();
            case LIST -> field.listCodec();
            default -> Codecs.of(type);
        };
        return new AggregatePlan(declared, link, field, DerivedPlan.valueColumn(declared.name(), type, codec));
    }

    @Override
    public String name() {
        return declared.name();
    }
}
