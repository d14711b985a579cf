package dev.ashlar.kernel;

/**
 * The SQL of a read of a resource's history ({@link Read#asOf}, {@link Read#versionsBetween}): the conditions on the
 * period each version was current ({@code sys_period}, whose upper bound is excluded, null while current), and the
 * fields that give its bounds.
 */
final class HistoryPeriod {
    /** The version current at the bound instant. */
    static final String CURRENT_AT = "\"sys_period\" @> CAST(? AS timestamptz)";
    /** The versions current at some moment from the first bound instant to the second (excluded). */
    static final String OVERLAPS = "\"sys_period\" && tstzrange(CAST(? AS timestamptz), CAST(? AS timestamptz))";
    static final String START = "sys_period_start";
    static final String END = "sys_period_end";
    static final String START_SQL = "lower(\"sys_period\")";
    static final String END_SQL = "upper(\"sys_period\")";

    private HistoryPeriod() {
    }
}
