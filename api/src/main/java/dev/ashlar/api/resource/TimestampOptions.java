package dev.ashlar.api.resource;

/**
 * The options of {@link ResourceBuilder#timestamps(java.util.function.Consumer)}:
 * {@code .timestamps(t -> t.trigger())}.
 */
public final class TimestampOptions {
    boolean trigger;

    TimestampOptions() {
    }

    /**
     * Also sets {@code updated_at} from a database trigger, so that writes that bypass Ashlar (plain SQL,
     * other tools) update it too. The migration creates a trigger function and a {@code BEFORE UPDATE} trigger
     * that set it to {@code now()} unless the statement changed it itself.
     */
    public TimestampOptions trigger() {
        this.trigger = true;
        return this;
    }
}
