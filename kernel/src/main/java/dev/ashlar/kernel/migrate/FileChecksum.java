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
 * @param holds     whether the history's checksum is the file's, whatever the line endings it was applied with, or one
 *                  that its {@code -- valid-checksum:} header accepts
 * @param accepted  whether the history's checksum differs from the file's and only that header accepts it
 */
public record FileChecksum(String file, String version, String algorithm, String checksum, String recorded,
                           boolean holds, boolean accepted) {

    /** The checksum of {@code file} now, and what the history recorded for it (null when it is not applied). */
    static FileChecksum of(MigrationFile file, String recorded) {
        boolean same = recorded != null && file.unchanged(recorded);
        boolean accepted = recorded != null && !same && file.filters().accepts(recorded);
        return new FileChecksum(file.fileName(), file.version(), file.algorithm(), file.checksum(), recorded,
                same || accepted, accepted);
    }

    /**
     * What the history holds, when it {@link #holds()} the file, as a sentence's end after "The history ...": the same
     * checksum, or another that the file's {@code -- valid-checksum:} header accepts.
     */
    public String held() {
        return accepted ? "holds " + algorithm + ":" + recorded + ", not the file's checksum: the file changed since it "
                + "was applied, and its '-- valid-checksum:' header accepts the checksum the history holds"
                : "holds the same";
    }
}
