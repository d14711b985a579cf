package dev.ashlar.benchmarks;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every benchmark once, briefly, so that none can rot: one short measured iteration each, in this JVM,
 * after the checks that every side writes and reads the same rows. The full runs stay manual.
 */
class BenchmarksSmokeTest {
    private static final List<Class<?>> BENCHMARKS = List.of(ReadBenchmark.class, RelationshipBenchmark.class,
            WriteBenchmark.class, CodegenBenchmark.class);

    @Test
    void everyBenchmarkRunsOneShortIterationAfterItsChecks() throws RunnerException {
        // A smoke run measures nothing, so it need not wait for (or fail on) a full run holding JMH's lock.
        System.setProperty("jmh.ignoreLock", "true");
        Options options = new OptionsBuilder()
                .include("dev\\.ashlar\\.benchmarks\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark()).collect(Collectors.toSet());
        Set<String> declared = BENCHMARKS.stream().flatMap(type -> Arrays.stream(type.getDeclaredMethods())
                        .filter(m -> m.isAnnotationPresent(Benchmark.class))
                        .map(m -> type.getName() + "." + m.getName()))
                .collect(Collectors.toSet());
        assertThat(ran).isEqualTo(declared);
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }

    @Test
    void tenantHarnessRunsTwoRoundsOfThreeTenants() throws Exception {
        TenantHarness.main(new String[] {"3", "--rounds", "2"});
    }

    /** The harness checks in the catalog that each change holds after it, naive or through Ashlar. */
    @Test
    void liveMigrationHarnessAppliesEveryChangeUnderWritesToASmallTable() throws Exception {
        LiveMigrationHarness.main(new String[] {"2000"});
    }
}
