package dev.ashlar.api.query;

/** What an action does to the database, for routing: the guide's {@code :read | :mutate}. */
public enum Operation {
    READ,
    MUTATE
}
