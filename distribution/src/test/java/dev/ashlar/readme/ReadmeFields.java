package dev.ashlar.readme;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.plugins.replicas.ReadReplicas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * What a README fragment marked {@code ```java compile prelude=ReadmeFields} may use without declaring it: the
 * {@code Ashlar} handle and the values the text around the fragment names. A fragment is the body of a method of a
 * subclass, so these fields are in scope; the fragment itself is never run.
 */
abstract class ReadmeFields {
    enum Status { ACTIVE, DRAFT, PUBLISHED }

    /** The application class of "Applying migrations", whose class loader finds classpath:db/ashlar. */
    static final class App {
    }

    interface Writer {
        void write(Row row);
    }

    final Logger log = LoggerFactory.getLogger(ReadmeFields.class);

    Ashlar ashlar;
    DataSource dataSource;
    DataSource ds;
    Domain domain;
    Domain app;
    Domain blog;
    ClassLoader classLoader;
    String primaryUrl;
    String replica1Url;
    String replica2Url;
    String user;
    String password;
    String term;
    Writer writer;
    Row post;
    Row author;
    List<Map<String, Object>> rows;
    List<Map<String, Object>> records;
    List<Row> rowsInHand;
    OffsetDateTime cutoff;
    LocalDate july1;
    LocalDate july3;
    LocalDate july5;
    LocalDate july8;
    LocalDate july9;
    ReadReplicas replicas;
    Object seat;
    Object guest;

    Row book(Ashlar tx, Object seat, Object guest) {
        return tx.create("booking", Map.of("seat", seat, "guest", guest));
    }
}
