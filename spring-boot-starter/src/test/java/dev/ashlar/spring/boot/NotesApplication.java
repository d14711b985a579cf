package dev.ashlar.spring.boot;

import dev.ashlar.api.data.Row;
import dev.ashlar.api.resource.Domain;
import dev.ashlar.api.resource.Resource;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.testing.TestDatabase;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ashlar.api.resource.Type.TEXT;

/** The application the tests start: notes, migrated from classpath:db/ashlar, written by a service. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableTransactionManagement
class NotesApplication {
    /** The application_name of the application's connections. */
    static final String APPLICATION = "notes-app";

    @Bean
    Domain notesDomain() {
        Resource note = Resource.builder("note").table("notes").integerPrimaryKey("id")
                .attribute("body", TEXT, a -> a.notNull()).build();
        return Domain.builder("notes").resources(note).build();
    }

    @Bean
    NoteService noteService(Ashlar ashlar) {
        return new NoteService(ashlar);
    }

    /** Starts the application on the test database, with more properties. */
    static ConfigurableApplicationContext start(TestDatabase db, Class<?> source, String... properties) {
        List<String> all = new ArrayList<>(List.of("spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.user(), "spring.datasource.password=" + db.password(),
                "spring.datasource.hikari.connection-timeout=250",
                "spring.datasource.hikari.data-source-properties.ApplicationName=" + APPLICATION, "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(source).properties(all.toArray(String[]::new)).run();
    }

    static ConfigurableApplicationContext start(TestDatabase db, String... properties) {
        return start(db, NotesApplication.class, properties);
    }

    /** Writes notes with Ashlar inside Spring transactions. */
    static class NoteService {
        private final Ashlar ashlar;

        NoteService(Ashlar ashlar) {
            this.ashlar = ashlar;
        }

        @Transactional
        public Row write(String body) {
            return ashlar.create("note", Map.of("body", body));
        }

        @Transactional
        public void writeThenFail(String body) {
            ashlar.create("note", Map.of("body", body));
            throw new IllegalStateException("the business rule failed after the write");
        }

        /** Ashlar's own transaction inside Spring's: its savepoint is rolled back, Spring's commits. */
        @Transactional
        public void writeThenFailInAshlarsTransaction(String kept, String undone) {
            ashlar.create("note", Map.of("body", kept));
            try {
                ashlar.inTransaction(tx -> {
                    tx.create("note", Map.of("body", undone));
                    throw new IllegalArgumentException("undo the inner write");
                });
            } catch (IllegalArgumentException expected) {
                // the savepoint was rolled back; the outer write stays
            }
        }

        @Transactional
        public long countInside() {
            ashlar.create("note", Map.of("body", "seen inside"));
            return ashlar.read("note").count();
        }
    }

    /** A repository (registered as a member of this configuration): Spring translates what it throws. */
    @Repository
    static class NoteRepository {
        private final Ashlar ashlar;

        NoteRepository(Ashlar ashlar) {
            this.ashlar = ashlar;
        }

        public Row create(Map<String, ?> values) {
            return ashlar.create("note", values);
        }

        public Row get(int id) {
            return ashlar.get("note", id);
        }

        public List<Row> readBy(String field) {
            return ashlar.read("note").sort(dev.ashlar.api.query.Sort.asc(field)).list();
        }
    }
}
