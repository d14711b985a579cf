package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** One bound parameter: a value already checked and converted by its codec. */
record Bind(Codec codec, Object value) {
    /** The most values one statement can bind: the protocol counts them in 16 bits (pgjdbc refuses more). */
    static final int MAX_PER_STATEMENT = 65_535;

    /**
     * A value compared with a column of the codec's type: converted by the codec or, when it cannot hold it (a bigint
     * compared with an integer column), by the first wider codec that can, so the server compares them as it would.
     *
     * @throws Codec.RejectedValue as the column's own codec refused the value, when no wider one takes it
     */
    static Bind compared(Codec codec, Object value) {
        try {
            return new Bind(codec, codec.toDatabase(value));
        } catch (Codec.RejectedValue e) {
            for (Codec wider = codec.wider(); wider != null; wider = wider.wider()) {
                try {
                    return new Bind(wider, wider.toDatabase(value));
                } catch (Codec.RejectedValue ignored) {
                    // not a value of the wider type either: try a wider one, else refuse as the column's type did
                }
            }
            throw e;
        }
    }

    static void bindAll(PreparedStatement statement, List<Bind> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            Bind bind = binds.get(i);
            bind.codec.bind(statement, i + 1, bind.value);
        }
    }
}
