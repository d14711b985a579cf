package dev.ashlar.api.resource;

/**
 * How a partitioned table splits its rows among its partitions ({@code partitioning method} in AshPostgres):
 * {@link ResourceBuilder#partitionBy(PartitionMethod, String...)}.
 */
public enum PartitionMethod {
    /** Each partition holds the rows whose key is one of its values ({@code PARTITION BY LIST}). */
    LIST,
    /** Each partition holds the rows whose key lies in its range ({@code PARTITION BY RANGE}). */
    RANGE,
    /** Each partition holds the rows whose key hashes to its remainder ({@code PARTITION BY HASH}). */
    HASH
}
