package io.lparchiver.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Enforces ARCHITECTURE section 2: app -> pipeline -> {source, render, mapping, deliver, state} ->
 * model. Stages never import each other, so each can be replaced or tested alone.
 */
class StageDirectionTest {

  private static final List<String> STAGES =
      List.of("source", "render", "mapping", "deliver", "state", "overflow");
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.lparchiver");
  }

  static Stream<String> stages() {
    return STAGES.stream();
  }

  @ParameterizedTest
  @MethodSource("stages")
  void stagesDoNotImportOtherStages(String stage) {
    String[] others =
        Stream.concat(
                STAGES.stream().filter(s -> !s.equals(stage)).map(s -> "io.lparchiver." + s + ".."),
                Stream.of(
                    "io.lparchiver.pipeline..", "io.lparchiver.config..", "io.lparchiver.app.."))
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("io.lparchiver." + stage + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because(
            "stages meet only in io.lparchiver.model and io.lparchiver.pipeline: put shared types in"
                + " model, or wire the stages together in the pipeline (e.g. pass a method reference"
                + " as the other stage's port)")
        .check(classes);
  }

  @Test
  void modelDependsOnNothingOfOurs() {
    noClasses()
        .that()
        .resideInAPackage("io.lparchiver.model..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            Stream.concat(STAGES.stream(), Stream.of("pipeline", "config", "app"))
                .map(s -> "io.lparchiver." + s + "..")
                .toArray(String[]::new))
        .because("the model is the shared vocabulary of every stage; it must not pull a stage in")
        .check(classes);
  }

  @Test
  void pipelineAndConfigDoNotDependOnTheApplication() {
    noClasses()
        .that()
        .resideInAnyPackage("io.lparchiver.pipeline..", "io.lparchiver.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.lparchiver.app..")
        .because("the CLI and server sit on top of the pipeline; move shared code down into core")
        .check(classes);
  }
}
