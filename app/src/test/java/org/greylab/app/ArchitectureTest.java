package org.greylab.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point toward the centre (core), and only the CLI talks to the terminal. */
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
    void everythingLogsThroughSlf4j() {
        GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(greylab);
    }
}
