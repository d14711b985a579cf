package dev.ashlar.kernel.data.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** One bound parameter: a value already checked and converted by its codec. */
record Bind(Codec codec, Object value) {
    /** The most values one statement can bind: the protocol counts them in 16 bits (pgjdbc refuses more). */
    static final int MAX_PER_STATEMENT = 65_535;

    static void bindAll(PreparedStatement statement, List<Bind> binds) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            Bind bind = binds.get(i);
            bind.codec.bind(statement, i + 1, bind.value);
        }
    }
}
