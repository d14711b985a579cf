package dev.ashlar.kernel.migrate;

/**
 * A migration file's checksum as the history records it, beside the one the history holds for its version (Liquibase's
 * {@code calculate-checksum}, {@code ashlar checksum FILE}).
 *
 * @param file      the file's name
 * @param version   its version, or a repeatable file's key ({@code R__views})
 * @param algorithm the checksum's algorithm ({@code sha256})
 * @param checksum  the file's checksum now: of its bytes, or a repeatable file's with the placeholder values it uses
 * @param recorded  the checksum in the history's row for its version, or null when it is not applied
 * @param holds     whether the history's checksum is the file's, whatever the line endings it was applied with
 */
public record FileChecksum(String file, String version, String algorithm, String checksum, String recorded,
                           boolean holds) {
}
