package dev.ashlar.spring.boot;

import dev.ashlar.api.data.Row;
import dev.ashlar.kernel.Ashlar;
import dev.ashlar.plugins.replicas.ReadReplicas;
import dev.ashlar.plugins.replicas.ReplicaRuntime;
import dev.ashlar.testing.PostgresExtension;
import dev.ashlar.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replicas from {@code ashlar.replicas.*}: routed by a {@link ReadReplicas} bean, and by nothing without one. */
@ExtendWith(PostgresExtension.class)
class AshlarReplicasTest {
    TestDatabase db;

    @BeforeEach
    void empty(TestDatabase db) {
        this.db = db;
        db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    }

    /** The test database again, as the replica named "copy". */
    private String[] copy() {
        return new String[]{"ashlar.replicas.copy.url=" + db.jdbcUrl(), "ashlar.replicas.copy.username=" + db.user(),
                "ashlar.replicas.copy.password=" + db.password()};
    }

    @Test
    void aReadReplicasBeanSendsReadsToTheReplicasOfThePropertiesAndLeavesSpringTransactionsOnThePrimary() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, Routed.class, copy())) {
            Ashlar ashlar = app.getBean(Ashlar.class);
            ReadReplicas replicas = app.getBean(ReadReplicas.class);
            app.getBean(NotesApplication.NoteService.class).write("routed");
            TransactionTemplate readOnly = new TransactionTemplate(app.getBean(PlatformTransactionManager.class));
            readOnly.setReadOnly(true);

            List<Row> outside = ashlar.read("note").list();
            List<Row> inside = readOnly.execute(status -> ashlar.read("note").list());

            assertThat(outside).hasSize(1);
            assertThat(inside).hasSize(1);

            assertThat(replicas.metrics().readsOn("copy")).as("the read outside Spring's transaction").isEqualTo(1);
            assertThat(replicas.metrics().readsOn(ReadReplicas.PRIMARY)).isZero();
        }
    }

    @Test
    void withoutAReadReplicasBeanTheReplicasOfThePropertiesServeOnlyResourcesThatAskForThem() {
        try (ConfigurableApplicationContext app = NotesApplication.start(db, copy())) {
            Ashlar ashlar = app.getBean(Ashlar.class);

            assertThat(ashlar.read("note").list()).isEmpty();

            assertThat(ashlar.runtime(ReplicaRuntime.class).orElseThrow().metrics().reads()).isEmpty();
        }
    }

    /** The notes application with the read replicas plugin configured as a bean. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(NotesApplication.class)
    static class Routed {
        @Bean
        ReadReplicas readReplicas() {
            return ReadReplicas.builder().build();
        }
    }
}
