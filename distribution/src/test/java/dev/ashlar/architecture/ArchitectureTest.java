package dev.ashlar.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** The layering of DESIGN.md, enforced on the production classes of every module. */
class ArchitectureTest {
    private static final String API = "dev.ashlar.api..";
    private static final String INTERNAL = "dev.ashlar.api.internal..";
    private static final String SPI = "dev.ashlar.spi..";
    private static final String KERNEL = "dev.ashlar.kernel..";
    private static final String PLUGINS = "dev.ashlar.plugins..";

    static final ArchRule API_USES_THE_JDK_ONLY = classes().that().resideInAPackage(API)
            .should().onlyDependOnClassesThat().resideInAnyPackage(API, "java..")
            .because("api holds what users write and read, and depends on the JDK alone");

    static final ArchRule SPI_USES_API_ONLY = classes().that().resideInAPackage(SPI)
            .should().onlyDependOnClassesThat().resideInAnyPackage(SPI, API, "java..")
            .andShould().onlyDependOnClassesThat().resideOutsideOfPackage(INTERNAL)
            .because("spi holds only contracts over api's types, never their implementation");

    static final ArchRule ONLY_THE_KERNEL_USES_INTERNALS = noClasses()
            .that().resideOutsideOfPackages(KERNEL, API)
            .should().dependOnClassesThat().resideInAPackage(INTERNAL)
            .because("implementation in internal packages is the kernel's to use, never a plugin's or a user's");

    static final ArchRule KERNEL_USES_API_AND_SPI_ONLY = classes().that().resideInAPackage(KERNEL)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.ashlar..")
                    .or(resideInAnyPackage(API, SPI, KERNEL)))
            .because("the kernel imports api and spi only of ours, and learns about plugins through ServiceLoader");

    static final ArchRule KERNEL_NAMES_NO_PLUGIN = noClasses().that().resideInAnyPackage(API, SPI, KERNEL)
            .should().dependOnClassesThat().resideInAPackage(PLUGINS)
            .because("no class in spi or kernel names a plugin");

    static final ArchRule PLUGINS_USE_SPI_ONLY = classes().that().resideInAPackage(PLUGINS)
            .should().onlyDependOnClassesThat().resideInAnyPackage(API, SPI, PLUGINS, "java..")
            .because("a plugin imports api and spi only: never the kernel, never JDBC")
            .allowEmptyShould(true);

    static final ArchRule PLUGINS_USE_NO_JDBC = noClasses().that().resideInAPackage(PLUGINS)
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
            .because("plugins act on the database through SPI interfaces that the kernel implements")
            .allowEmptyShould(true);

    static final ArchRule PLUGINS_ARE_INDEPENDENT = SlicesRuleDefinition.slices()
            .matching("dev.ashlar.plugins.(*)..").should().notDependOnEachOther()
            .because("a plugin never imports another plugin")
            .allowEmptyShould(true);

    static final ArchRule LIBRARIES_DO_NOT_PRINT = noClasses().that().resideInAnyPackage(API, SPI, KERNEL, PLUGINS)
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            // Calls into java.util.logging, not the Logger type a DataSource's getParentLogger declares.
            .orShould().accessClassesThat().resideInAPackage("java.util.logging..")
            .because("libraries log through SLF4J; only the command line prints")
            .allowEmptyShould(true);

    static final ArchRule NO_GENERIC_RUNTIME_EXCEPTIONS = noClasses().that().resideInAnyPackage(API, SPI, KERNEL, PLUGINS)
            .and().doNotHaveFullyQualifiedName("dev.ashlar.api.error.AshlarException")
            .should().callConstructor(RuntimeException.class, String.class)
            .orShould().callConstructor(RuntimeException.class, String.class, Throwable.class)
            .orShould().callConstructor(RuntimeException.class, Throwable.class)
            .because("every failure is an AshlarException with structured content");

    /** An api package and the internal package that implements it depend on each other, as the JDK's do. */
    static final ArchRule NO_PACKAGE_CYCLES = SlicesRuleDefinition.slices().matching("dev.ashlar.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(resideInAPackage(API), resideInAPackage(INTERNAL));

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.ashlar");
    }

    @Test
    void theRulesSeeThePluginsTheCommandShips() {
        assertThat(production.stream().map(c -> c.getPackageName()).distinct())
                .contains("dev.ashlar.plugins.references", "dev.ashlar.plugins.checks",
                        "dev.ashlar.plugins.indexes", "dev.ashlar.plugins.tenancy",
                        "dev.ashlar.plugins.replicas", "dev.ashlar.plugins.relationships");
    }

    @Test
    void apiDependsOnTheJdkAloneAndSpiOnApiAlone() {
        API_USES_THE_JDK_ONLY.check(production);
        SPI_USES_API_ONLY.check(production);
    }

    @Test
    void onlyTheKernelUsesInternalPackages() {
        ONLY_THE_KERNEL_USES_INTERNALS.check(production);
    }

    @Test
    void kernelDependsOnApiAndSpiAndNoPlugin() {
        KERNEL_USES_API_AND_SPI_ONLY.check(production);
        KERNEL_NAMES_NO_PLUGIN.check(production);
    }

    @Test
    void pluginsDependOnSpiOnlyAndNeverOnEachOtherOrJdbc() {
        PLUGINS_USE_SPI_ONLY.check(production);
        PLUGINS_USE_NO_JDBC.check(production);
        PLUGINS_ARE_INDEPENDENT.check(production);
    }

    @Test
    void librariesNeitherPrintNorThrowGenericExceptions() {
        LIBRARIES_DO_NOT_PRINT.check(production);
        NO_GENERIC_RUNTIME_EXCEPTIONS.check(production);
    }

    @Test
    void packagesHaveNoCycles() {
        NO_PACKAGE_CYCLES.check(production);
    }

    @Test
    void theRulesCatchAPluginThatReachesIntoTheKernelUsesJdbcAndPrints() {
        JavaClasses leaky = new ClassFileImporter().importPackages("dev.ashlar.plugins.archfixture");

        assertThat(PLUGINS_USE_SPI_ONLY.evaluate(leaky).hasViolation()).isTrue();
        assertThat(PLUGINS_USE_NO_JDBC.evaluate(leaky).hasViolation()).isTrue();
        assertThat(LIBRARIES_DO_NOT_PRINT.evaluate(leaky).hasViolation()).isTrue();
        assertThat(ONLY_THE_KERNEL_USES_INTERNALS.evaluate(leaky).hasViolation()).isTrue();
        assertThat(PLUGINS_USE_SPI_ONLY.evaluate(leaky).getFailureReport().getDetails())
                .anyMatch(line -> line.contains("dev.ashlar.kernel.plugin.Plugins"));
        assertThat(LIBRARIES_DO_NOT_PRINT.evaluate(leaky).getFailureReport().getDetails())
                .anyMatch(line -> line.contains("java.util.logging.Logger.getLogger"));
    }
}
