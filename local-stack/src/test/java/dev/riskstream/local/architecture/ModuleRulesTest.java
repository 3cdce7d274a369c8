package dev.riskstream.local.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module boundaries, checked on every module's classes (this module sees them all): each module
 * depends only on those below it, so that the contracts stand alone, feature code runs without the
 * Flink runtime, training needs no streaming job, and no deployable job nor the operations CLI carries
 * the local stack.
 */
@AnalyzeClasses(packages = "dev.riskstream", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

  private static final String SCHEMAS = "dev.riskstream.schemas..";
  private static final String FEATURES = "dev.riskstream.features..";
  private static final String PIPELINE_IO = "dev.riskstream.io..";
  private static final String RULES = "dev.riskstream.rules..";
  private static final String JOB = "dev.riskstream.job..";
  private static final String TRAINING = "dev.riskstream.training..";
  private static final String OPERATIONS = "dev.riskstream.ops..";
  private static final String LOCAL = "dev.riskstream.local..";
  private static final String SQL = "dev.riskstream.sql..";

  @ArchTest
  static final ArchRule contractsDependOnNothingOfOurs = noClasses().that().resideInAPackage(SCHEMAS)
      .should().dependOnClassesThat().resideInAnyPackage(FEATURES, RULES, PIPELINE_IO, JOB, TRAINING, OPERATIONS, LOCAL,
          SQL);

  @ArchTest
  static final ArchRule featureCodeDependsOnContractsOnly = noClasses().that().resideInAPackage(FEATURES)
      .should().dependOnClassesThat().resideInAnyPackage(RULES, PIPELINE_IO, JOB, TRAINING, OPERATIONS, LOCAL, SQL);

  @ArchTest
  static final ArchRule featureCodeRunsWithoutTheFlinkRuntime = noClasses().that().resideInAPackage(FEATURES)
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink.runtime..", "org.apache.flink.streaming..",
          "org.apache.flink.api.common.state..");

  @ArchTest
  static final ArchRule sharedInputOutputKnowsNoJob = noClasses().that().resideInAPackage(PIPELINE_IO)
      .should().dependOnClassesThat().resideInAnyPackage(RULES, JOB, TRAINING, OPERATIONS, LOCAL);

  /** The job, batch backtests and the CLI evaluate rules alike: the rules know no Flink and no pipeline. */
  @ArchTest
  static final ArchRule rulesKnowNoFlinkNorPipeline = noClasses().that().resideInAPackage(RULES)
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", PIPELINE_IO, JOB, TRAINING, OPERATIONS,
          LOCAL);

  @ArchTest
  static final ArchRule trainingNeedsNoStreamingJob = noClasses().that().resideInAPackage(TRAINING)
      .should().dependOnClassesThat().resideInAnyPackage(JOB, OPERATIONS, LOCAL);

  @ArchTest
  static final ArchRule theJobCarriesNoLocalStackNorTraining = noClasses().that().resideInAPackage(JOB)
      .should().dependOnClassesThat().resideInAnyPackage(LOCAL, OPERATIONS, TRAINING);

  /** The operations CLI's image runs beside a deployed job: no broker, no simulator, no demo. */
  @ArchTest
  static final ArchRule theOperationsCliCarriesNoLocalStack = noClasses().that().resideInAPackage(OPERATIONS)
      .should().dependOnClassesThat().resideInAnyPackage(LOCAL, "kafka..", "org.apache.kafka.server..", "org.h2..");

  /** The model provider goes into a Flink cluster's lib/ beside other jobs: feature code only, no job. */
  @ArchTest
  static final ArchRule theSqlModelProviderCarriesNoJob = noClasses().that().resideInAPackage(SQL)
      .should().dependOnClassesThat().resideInAnyPackage(PIPELINE_IO, RULES, JOB, TRAINING, OPERATIONS, LOCAL);
}
