package org.greylab.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point toward the centre (core) with no package cycle, and only the CLI talks to the terminal. */
class ArchitectureTest {

    private static JavaClasses greylab;

    @BeforeAll
    static void importClasses() {
        greylab = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.greylab");
    }

    @Test
    void coreDependsOnNoOuterModuleNorFramework() {
        noClasses().that().resideInAPackage("org.greylab.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.greylab.engine..", "org.greylab.app..",
                        "javafx..", "com.hazelcast..", "com.fasterxml.jackson..", "picocli..", "ch.qos.logback..")
                .check(greylab);
    }

    @Test
    void enginesDependOnNothingOfTheApp() {
        noClasses().that().resideInAPackage("org.greylab.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.greylab.app..", "javafx..")
                .allowEmptyShould(true)
                .check(greylab);
    }

    @Test
    void onlyTheCliWritesToTheTerminal() {
        noClasses().that().resideOutsideOfPackage("org.greylab.app.cli..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(greylab);
    }

    @Test
    void viewsNeverTouchExecutorsClustersOrStrategies() {
        noClasses().that().haveSimpleNameEndingWith("View").and().resideInAPackage("org.greylab.app..")
                .should().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..", "com.hazelcast..",
                        "org.greylab.engine..", "org.greylab.core.run..")
                .orShould().dependOnClassesThat(resideInAPackage("org.greylab.core.schedule..")
                        .and(not(simpleName("Mode"))))
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("ClusterService")
                .orShould().dependOnClassesThat().haveSimpleName("AppExecutor")
                .because("views only build and bind; view models own the threads and the cluster")
                .check(greylab);
    }

    @Test
    void viewModelsNeverTouchControls() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene.control..", "javafx.stage..",
                        "javafx.scene.layout..")
                .because("a view model owns state as properties and is tested without a Stage")
                .check(greylab);
    }

    @Test
    void onlyTheEngineServiceTalksToHazelcast() {
        noClasses().that().resideInAPackage("org.greylab.app..")
                .and().doNotHaveSimpleName("HazelcastClusterService")
                .and().resideOutsideOfPackage("org.greylab.app.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("com.hazelcast..", "org.greylab.engine..")
                .check(greylab);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("org.greylab.(**)").should().beFreeOfCycles()
                .because("a package either serves another or uses it, never both")
                .check(greylab);
    }

    @Test
    void packagesOfEachModuleFormNoCycles() {
        for (String module : new String[] {"core", "engine", "app"}) {
            slices().matching("org.greylab." + module + ".(*)..").should().beFreeOfCycles().check(greylab);
        }
    }

    @Test
    void everythingLogsThroughSlf4j() {
        // JavaFxWarnings logs nothing: it filters the java.util.logging logger JavaFX itself writes to
        noClasses().that().doNotHaveFullyQualifiedName("org.greylab.app.ui.JavaFxWarnings")
                .and().doNotHaveFullyQualifiedName("org.greylab.app.ui.JavaFxWarnings$ClassPathWarningFilter")
                .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING).check(greylab);
    }
}
