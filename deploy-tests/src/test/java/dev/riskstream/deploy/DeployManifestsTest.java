package dev.riskstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.riskstream.io.settings.FeatureLogOptions;
import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.io.settings.ModelOptions;
import dev.riskstream.io.settings.Settings;
import dev.riskstream.job.InputOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.LookupOptions;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.StateChangelog;
import dev.riskstream.job.performance.LabelOptions;
import dev.riskstream.local.cli.RiskstreamCli;
import dev.riskstream.ops.OperationsCli;
import dev.riskstream.training.RetrainingJob;
import dev.riskstream.training.RetrainingService;
import dev.riskstream.training.RetrainingSettings;
import dev.riskstream.training.ScheduledRetraining;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.changelog.fs.FsStateChangelogOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateChangelogOptions;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Checks what can be checked of the deployment files without Docker or Kubernetes: every file
 * parses (the CI workflow too), docker-compose.yml's services are complete and reference files that exist, the
 * FlinkDeployment deserializes into the Flink Kubernetes Operator's API classes, every job argument
 * is a {@link JobConfig} setting, the services that run the riskstream CLI give it arguments it
 * accepts, and each CLI image runs its own CLI. That the Grafana dashboard queries only metrics a running job
 * exports is checked against the demo's Prometheus endpoint, in local-stack's DemoCommandITCase.
 */
class DeployManifestsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Where the retraining image keeps training-job's jar and its libraries: a Flink application's classpath. */
  private static final String RETRAINING_CLASSPATH = "/opt/flink/usrlib/";
  /** Flink's Prometheus reporter names an operator's metric by this prefix and its metric groups. */

  @Test
  void everyManifestParses() throws IOException {
    List<Path> files = new ArrayList<>(manifests());
    files.add(ROOT.resolve("docker-compose.yml"));
    files.add(ROOT.resolve(".github/workflows/ci.yml"));
    assertThat(files).hasSizeGreaterThan(6);
    for (Path file : files) {
      if (file.toString().endsWith(".json")) {
        assertThat(JSON.readTree(file.toFile())).as(file.toString()).isNotNull();
      } else {
        // SnakeYAML (under Jackson's YAML module) resolves anchors and merge keys, as Compose does
        try (var documents = Files.newBufferedReader(file)) {
          List<Object> parsed = new ArrayList<>();
          new Yaml().loadAll(documents).forEach(parsed::add);
          assertThat(parsed).as(file.toString()).isNotEmpty().doesNotContainNull();
        }
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeServicesAreCompleteAndReferenceWhatExists() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Set<String> namedVolumes = ((Map<String, Object>) compose.get("volumes")).keySet();
    Properties pinned = pinnedImages();
    assertThat(services).containsKeys("kafka", "kafka-init", "postgres", "seed-profiles", "jobmanager", "taskmanager",
        "taskmanager-gpu", "simulator", "prometheus", "grafana");
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));

    services.forEach((name, service) -> {
      assertThat(service.get("image") != null || service.get("build") != null).as(name + " has an image or a build").isTrue();
      if (service.get("image") instanceof String image && image.startsWith("${")) {
        assertThat(pinned).as(name + ": " + image + " pinned in .env").containsKey(image.substring(2, image.length() - 1));
      }
      if (service.get("build") instanceof Map<?, ?> build) {
        assertThat(ROOT.resolve((String) build.get("context")).resolve((String) build.get("dockerfile"))).exists();
        assertThat(dockerfile).as(name + " builds a target of the Dockerfile").containsPattern(
            "(?m)^FROM \\S+ AS " + Pattern.quote((String) build.get("target")) + "$");
      }
      Object dependsOn = service.getOrDefault("depends_on", Map.of());
      ((Map<String, Map<String, String>>) dependsOn).forEach((dependency, condition) -> {
        assertThat(services).as(name + " depends on " + dependency).containsKey(dependency);
        if ("service_healthy".equals(condition.get("condition"))) {
          assertThat(services.get(dependency)).as(dependency + " has a healthcheck").containsKey("healthcheck");
        }
      });
      for (Object volume : (List<Object>) service.getOrDefault("volumes", List.of())) {
        String source = ((String) volume).split(":")[0];
        if (source.startsWith(".")) {
          assertThat(ROOT.resolve(source)).as(name + " mounts " + source).exists();
        } else {
          assertThat(namedVolumes).as(name + " mounts volume " + source).contains(source);
        }
      }
    });

    List<String> command = (List<String>) services.get("jobmanager").get("command");
    assertThat(command.subList(0, 3))
        .containsExactly("standalone-job", "--job-classname", RiskstreamJob.class.getName());
    assertJobArguments(command.subList(3, command.size()));
    assertThat(dependencies(services.get("jobmanager")))
        .containsEntry("kafka-init", "service_completed_successfully")
        .containsEntry("seed-profiles", "service_completed_successfully");
    for (String flinkService : List.of("jobmanager", "taskmanager", "taskmanager-gpu")) {
      assertThat((Map<String, Object>) services.get(flinkService).get("environment"))
          .as(flinkService + " reads the secrets where the operators open, from the shell's environment")
          .containsEntry(InputOptions.TOKEN_KEY_ENV, "${RISKSTREAM_TOKEN_KEY:?export RISKSTREAM_TOKEN_KEY}")
          .containsEntry(LookupOptions.PASSWORD_ENV, "${RISKSTREAM_LOOKUP_PASSWORD:?export RISKSTREAM_LOOKUP_PASSWORD}");
    }
    String flinkProperties = (String) ((Map<String, Object>) services.get("jobmanager").get("environment")).get("FLINK_PROPERTIES");
    assertThat(flinkProperties)
        .contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
        .contains("execution.checkpointing.dir: ");
    assertThat(flinkProperties.lines().map(line -> line.split(":", 2)[0].trim()))
        .as("the job sets these itself; a cluster setting would be overridden").doesNotContainAnyElementsOf(List.of(jobOwnedSettings()));
    assertKeepsTheStateChangelog(flinkProperties.lines().map(line -> line.split(":", 2))
        .collect(Collectors.toMap(pair -> pair[0].trim(), pair -> pair[1].trim())));
  }

  /** The job logs its state's changes only where the cluster keeps them durably, beside its checkpoints. */
  private static void assertKeepsTheStateChangelog(Map<String, String> flinkConfiguration) {
    assertThat(StateChangelog.settingsOver(Configuration.fromMap(flinkConfiguration)).toMap())
        .containsEntry(StateChangelogOptions.ENABLE_STATE_CHANGE_LOG.key(), "true");
    String checkpoints = flinkConfiguration.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key());
    assertThat(flinkConfiguration.get(FsStateChangelogOptions.BASE_PATH.key()))
        .as("on the checkpoints' storage").startsWith(checkpoints.substring(0, checkpoints.indexOf("://") + 3));
  }

  /**
   * The simulator and the lookup seeder run local-stack's riskstream CLI: their commands parse as the CLI
   * parses them, and point at the stack's own Kafka and database, the ones the job uses.
   */
  @Test
  @SuppressWarnings("unchecked")
  void cliServicesRunCommandsTheCliAcceptsAgainstTheJobsKafkaAndDatabase() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Map<String, String> job = jobArguments((List<String>) services.get("jobmanager").get("command"));

    ParseResult simulate = cliCommand(services.get("simulator"), "simulate");
    assertThat(simulate.matchedOptionValue("--bootstrap-servers", ""))
        .isEqualTo(job.get(KafkaOptions.BOOTSTRAP_SERVERS.key()));
    assertThat(simulate.hasMatchedOption("--labels")).as("labels for the job's monitoring.labels").isTrue();
    assertThat(job).containsEntry(LabelOptions.ENABLED.key(), "true");
    assertThat(dependencies(services.get("simulator")))
        .containsEntry("kafka", "service_healthy")
        .containsEntry("kafka-init", "service_completed_successfully");

    ParseResult seed = cliCommand(services.get("seed-profiles"), "seed-profiles");
    assertThat(seed.matchedOptionValue("--lookup-jdbc-url", "")).isEqualTo(job.get(LookupOptions.JDBC_URL.key()));
    assertThat(seed.matchedOptionValue("--lookup-username", "")).isEqualTo(job.get(LookupOptions.USERNAME.key()));
    assertThat(seed.hasMatchedOption("--lookup-password")).as("the password comes from the environment").isFalse();
    assertThat((Map<String, String>) services.get("seed-profiles").get("environment"))
        .containsKey(LookupOptions.PASSWORD_ENV);
    assertThat(dependencies(services.get("seed-profiles"))).containsEntry("postgres", "service_healthy");
    assertThat((List<String>) services.get("postgres").getOrDefault("volumes", List.of()))
        .as("no hand-written schema beside the job's migrations, which seed-profiles applies")
        .noneMatch(volume -> volume.contains("docker-entrypoint-initdb.d"));
  }

  /** The service's command as the simulator image's entrypoint (RiskstreamCli) parses it. */
  @SuppressWarnings("unchecked")
  private static ParseResult cliCommand(Map<String, Object> service, String subcommand) {
    assertThat(((Map<String, Object>) service.get("build")).get("target")).isEqualTo("simulator");
    List<String> command = (List<String>) service.get("command");
    ParseResult parsed = new CommandLine(new RiskstreamCli()).parseArgs(command.toArray(String[]::new));
    assertThat(parsed.subcommand()).as(command.toString()).isNotNull();
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo(subcommand);
    return parsed.subcommand();
  }

  @SuppressWarnings("unchecked")
  /**
   * Compose closes the loop: the retraining service runs RetrainingService with settings it accepts,
   * against the job's Kafka, on the feature log and registry the job's arguments name, on the volume
   * every Flink process mounts at the same path, which the images create for the flink user.
   */
  @Test
  void composeRetrainingServiceReadsTheJobsFeatureLogAndPublishesToItsRegistry() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Map<String, Object> retraining = services.get("retraining");
    assertThat(((Map<String, String>) retraining.get("build")).get("target")).isEqualTo("retraining");
    List<String> command = (List<String>) retraining.get("command");
    int main = command.indexOf(RetrainingService.class.getName());
    assertThat(main).as("runs the service's main").isPositive();
    Map<String, String> settings = Settings.fromArgs(command.subList(main + 1, command.size()).toArray(String[]::new));
    RetrainingSettings.fromMap(settings);

    List<String> job = (List<String>) services.get("jobmanager").get("command");
    Map<String, String> jobSettings = Settings.fromArgs(job.subList(3, job.size()).toArray(String[]::new));
    for (String shared : List.of(KafkaOptions.BOOTSTRAP_SERVERS.key(), ModelOptions.REGISTRY.key(),
        FeatureLogOptions.PATH.key())) {
      assertThat(settings.get(shared)).as(shared).isEqualTo(jobSettings.get(shared));
    }
    assertThat(jobSettings).containsEntry(LabelOptions.ENABLED.key(), "true");
    assertThat((List<String>) retraining.get("volumes")).containsExactly("riskstream-shared:/var/riskstream");
    for (String flinkService : List.of("jobmanager", "taskmanager", "taskmanager-gpu")) {
      assertThat((List<String>) services.get(flinkService).get("volumes")).contains("riskstream-shared:/var/riskstream");
    }
    assertThat(settings.get(ModelOptions.REGISTRY.key())).startsWith("/var/riskstream/");
    String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
    for (String target : List.of("cpu", "gpu", "retraining")) {
      String stage = dockerfile.substring(dockerfile.indexOf("AS " + target + "\n"));
      int next = stage.indexOf("\nFROM ");
      assertThat(next < 0 ? stage : stage.substring(0, next)).as("the " + target + " image")
          .containsPattern("chown flink:flink /var/riskstream");
    }
  }

  private static Map<String, String> dependencies(Map<String, Object> service) {
    Map<String, String> conditions = new HashMap<>();
    ((Map<String, Map<String, String>>) service.getOrDefault("depends_on", Map.of()))
        .forEach((dependency, condition) -> conditions.put(dependency, condition.get("condition")));
    return conditions;
  }

  /** {@code --key value} pairs after {@code standalone-job --job-classname CLASS}. */
  private static Map<String, String> jobArguments(List<String> command) {
    Map<String, String> arguments = new HashMap<>();
    for (int i = 3; i + 1 < command.size(); i += 2) {
      arguments.put(command.get(i).substring(2), command.get(i + 1));
    }
    return arguments;
  }

  /**
   * The CLI image runs the operations CLI, built from operations-cli alone, so it carries no broker; the
   * simulator image runs local-stack's CLI, with the broker and the simulator. The CI workflow builds both.
   */
  @Test
  void theCliImageRunsTheOperationsCliAndTheSimulatorImageTheLocalStacksCli() throws IOException {
    assertThat(dockerfileStage("cli")).contains("COPY --from=cli-build ").contains(entrypoint(OperationsCli.class));
    assertThat(dockerfileStage("cli-build")).contains("-pl operations-cli ").doesNotContain("local-stack");
    assertThat(dockerfileStage("simulator")).contains("COPY --from=simulator-build ")
        .contains(entrypoint(RiskstreamCli.class));
    assertThat(dockerfileStage("simulator-build")).contains("-pl local-stack ");
    assertThat(imagesBuiltByCi()).contains("cli", "simulator");
  }

  /**
   * The GPU image is the CUDA image with Flink copied in, under Flink's own entrypoint: that script
   * substitutes FLINK_PROPERTIES with envsubst and drops to the flink user with gosu, so the image must
   * bring both, and the flink user Flink's files belong to.
   */
  @Test
  void theGpuImageHasWhatFlinksEntrypointRuns() throws IOException {
    String gpu = dockerfileStage("gpu");
    assertThat(gpu).contains("apt-get install -y --no-install-recommends gettext-base")
        .contains("COPY --from=flink-dist /usr/local/bin/gosu /usr/local/bin/gosu")
        .contains("useradd --system --uid 9999 --gid flink")
        .contains("COPY --from=flink-dist --chown=flink:flink /opt/flink /opt/flink")
        .contains("ENTRYPOINT [\"/docker-entrypoint.sh\"]");
  }

  /** The instructions of the Dockerfile's stage {@code name}, without comments. */
  private static String dockerfileStage(String name) throws IOException {
    Matcher stage = Pattern.compile("(?ms)^FROM \\S+ AS " + Pattern.quote(name) + "$(.*?)(?=^FROM |\\z)")
        .matcher(Files.readString(DEPLOY.resolve("Dockerfile")));
    assertThat(stage.find()).as("the Dockerfile has a stage " + name).isTrue();
    return stage.group(1).lines().filter(line -> !line.startsWith("#")).collect(Collectors.joining("\n"));
  }

  private static String entrypoint(Class<?> mainClass) {
    return "ENTRYPOINT [\"java\", \"-cp\", \"/opt/riskstream/lib/*\", \"" + mainClass.getName() + "\"]";
  }

  /** The Dockerfile targets that the CI workflow builds. */
  private static List<String> imagesBuiltByCi() throws IOException {
    JsonNode workflow = YAML.readTree(ROOT.resolve(".github/workflows/ci.yml").toFile());
    List<String> built = new ArrayList<>();
    workflow.path("jobs").path("images").path("strategy").path("matrix").path("target").forEach(t -> built.add(t.asText()));
    return built;
  }

  @Test
  void dockerfileImageDefaultsAreTheTagsPinnedInDotEnv() throws IOException {
    Properties pinned = pinnedImages();
    Matcher arg = Pattern.compile("(?m)^ARG (\\w+_IMAGE)=(\\S+)$").matcher(Files.readString(DEPLOY.resolve("Dockerfile")));
    int defaults = 0;
    while (arg.find()) {
      assertThat(pinned.getProperty(arg.group(1))).as(arg.group(1)).isEqualTo(arg.group(2));
      defaults++;
    }
    assertThat(defaults).isEqualTo(3);
  }

  @Test
  void flinkDeploymentMatchesTheOperatorApi() throws IOException {
    FlinkDeployment deployment = flinkDeployment(DEPLOY.resolve("k8s/base/flinkdeployment.yaml"));
    var spec = deployment.getSpec();
    assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.SAVEPOINT);
    assertThat(spec.getJob().getEntryClass()).isEqualTo(RiskstreamJob.class.getName());
    assertThat(spec.getJob().getJarURI()).isEqualTo("local:///opt/flink/usrlib/riskstream-job.jar");
    assertJobArguments(List.of(spec.getJob().getArgs()));
    assertThat(spec.getFlinkConfiguration())
        .as("the job sets these itself; a cluster setting would be overridden").doesNotContainKeys(jobOwnedSettings())
        .containsEntry("high-availability.type", "kubernetes")
        .containsEntry("job.autoscaler.enabled", "true")
        .containsKeys("job.autoscaler.vertex.min-parallelism", "job.autoscaler.vertex.max-parallelism")
        .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    assertThat(spec.getFlinkConfiguration().get("execution.checkpointing.dir")).startsWith("s3://");
    assertKeepsTheStateChangelog(spec.getFlinkConfiguration());
    var env = spec.getPodTemplate().getSpec().getContainers().get(0).getEnv();
    for (String secret : List.of(InputOptions.TOKEN_KEY_ENV, LookupOptions.PASSWORD_ENV)) {
      assertThat(env).filteredOn(variable -> variable.getName().equals(secret)).singleElement()
          .satisfies(variable -> {
            assertThat(variable.getValue()).as(secret + " is not inlined").isNull();
            assertThat(variable.getValueFrom().getSecretKeyRef()).isNotNull();
          });
    }
  }

  /** The patch replaces the base's arguments whole: they must be the base's, with CUDA and a larger batch. */
  @Test
  void gpuPatchRequestsAGpuAndRequiresCuda() throws IOException {
    FlinkDeployment patch = flinkDeployment(DEPLOY.resolve("k8s/overlays/gpu/gpu-taskmanagers.yaml"));
    var container = patch.getSpec().getTaskManager().getPodTemplate().getSpec().getContainers().get(0);
    assertThat(container.getName()).isEqualTo("flink-main-container");
    assertThat(container.getResources().getLimits()).containsKey("nvidia.com/gpu");
    List<String> args = List.of(patch.getSpec().getJob().getArgs());
    assertJobArguments(args);
    List<String> base = List.of(flinkDeployment(DEPLOY.resolve("k8s/base/flinkdeployment.yaml")).getSpec().getJob().getArgs());
    List<String> expected = new ArrayList<>(base);
    expected.addAll(List.of("--" + ModelOptions.EXECUTION_PROVIDER.key(), "CUDA", "--scoring.batch-size", "2048"));
    assertThat(args).isEqualTo(expected);
  }

  /**
   * The base of the overlays lists every manifest in its folder, and the Prometheus operator's rules
   * are the alert rules promtool tests.
   */
  @Test
  void theKustomizeBaseHasEveryManifestAndTheOperatorsRulesAreTheTestedOnes() throws IOException {
    Path base = DEPLOY.resolve("k8s/base");
    JsonNode kustomization = YAML.readTree(base.resolve("kustomization.yaml").toFile());
    List<String> resources = new ArrayList<>();
    kustomization.get("resources").forEach(resource -> resources.add(resource.asText()));
    try (Stream<Path> files = Files.list(base)) {
      assertThat(resources).containsExactlyInAnyOrderElementsOf(files.map(file -> file.getFileName().toString())
          .filter(file -> !file.equals("kustomization.yaml")).toList());
    }
    List<JsonNode> monitoring = yamlDocuments(DEPLOY.resolve("prometheus/kubernetes.yaml"));
    assertThat(ofKind(monitoring, "PrometheusRule").at("/spec/groups"))
        .isEqualTo(YAML.readTree(DEPLOY.resolve("prometheus/alerts.yml").toFile()).get("groups"));
    JsonNode podMonitor = ofKind(monitoring, "PodMonitor");
    FlinkDeployment job = flinkDeployment(DEPLOY.resolve("k8s/base/flinkdeployment.yaml"));
    assertThat(job.getSpec().getPodTemplate().getSpec().getContainers().get(0).getPorts())
        .as("the port the PodMonitor scrapes is the reporter's")
        .anySatisfy(port -> {
          assertThat(port.getName()).isEqualTo(podMonitor.at("/spec/podMetricsEndpoints/0/port").asText());
          assertThat(port.getContainerPort()).isEqualTo(
              Integer.valueOf(job.getSpec().getFlinkConfiguration().get("metrics.reporter.prom.port")));
        });
  }

  @Test
  void topicsAreTheJobsDefaultTopics() throws IOException {
    Set<String> jobTopics = JobConfig.OPTIONS.stream()
        .filter(option -> option.key().startsWith("topic."))
        .map(option -> (String) option.defaultValue())
        .collect(Collectors.toSet());
    Set<String> strimziTopics = new HashSet<>();
    for (JsonNode topic : yamlDocuments(DEPLOY.resolve("k8s/base/kafka-topics.yaml"))) {
      assertThat(topic.path("kind").asText()).isEqualTo("KafkaTopic");
      assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isNotEmpty();
      strimziTopics.add(topic.path("metadata").path("name").asText());
    }
    assertThat(strimziTopics).isEqualTo(jobTopics);
    String composeTopics = Files.readString(DEPLOY.resolve("kafka/create-topics.sh"));
    assertThat(jobTopics).allSatisfy(topic -> assertThat(composeTopics).contains("create " + topic + " "));
  }

  /**
   * The retraining service runs the service's main class from the retraining image, with settings the
   * service accepts, against the job's Kafka and on the files the job writes: the feature log and the
   * registry on the claim the job's pods mount at the same path.
   */
  @Test
  void retrainingServiceRunsTheServiceWithSettingsItAcceptsOnTheJobsFiles(@TempDir Path configDir) throws Exception {
    List<JsonNode> documents = yamlDocuments(DEPLOY.resolve("k8s/base/retraining-service.yaml"));
    ConfigMap config = YAML.treeToValue(ofKind(documents, "ConfigMap"), ConfigMap.class);
    Deployment deployment = YAML.treeToValue(ofKind(documents, "Deployment"), Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).as("requests are answered one at a time").isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    assertRetrainingImage(container.getImage());

    List<String> command = container.getCommand();
    assertThat(command.get(0)).isEqualTo("java");
    String classpath = command.get(command.indexOf("-cp") + 1);
    assertThat(classpath.split(":")).containsExactly("/opt/flink/lib/*", RETRAINING_CLASSPATH + "*");
    assertThat(command.get(command.size() - 1)).isEqualTo(RetrainingService.class.getName());
    assertThat(RetrainingService.class.getMethod("main", String[].class).getModifiers() & Modifier.STATIC).isNotZero();

    String[] args = withConfigFile(container.getArgs(), container.getVolumeMounts(), pod.getVolumes(), config, configDir);
    Map<String, String> settings = Settings.fromArgs(args);
    // as the service reads them at start: an unknown key, or a missing feature log or registry, throws
    RetrainingSettings.fromMap(settings);
    assertRetrainingUsesTheJobsKafkaAndFiles(settings, container.getVolumeMounts(), pod.getVolumes());
  }

  /**
   * The scheduled retraining's CronJob runs ScheduledRetraining from the retraining image on the
   * service's ConfigMap, with a period the settings accept, once at a time.
   */
  @Test
  void scheduledRetrainingRequestsWithSettingsItAcceptsOnTheServicesConfig(@TempDir Path configDir) throws Exception {
    CronJob cronJob = YAML.treeToValue(ofKind(yamlDocuments(DEPLOY.resolve("k8s/base/retraining-schedule.yaml")), "CronJob"),
        CronJob.class);
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cronJob.getSpec().getSchedule().split(" ")).as("a cron expression").hasSize(5);
    PodSpec pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    assertRetrainingImage(container.getImage());
    List<String> command = container.getCommand();
    assertThat(command.get(command.size() - 1)).isEqualTo(ScheduledRetraining.class.getName());
    assertThat(ScheduledRetraining.class.getMethod("main", String[].class).getModifiers() & Modifier.STATIC).isNotZero();

    JsonNode configMap = ofKind(yamlDocuments(DEPLOY.resolve("k8s/base/retraining-service.yaml")), "ConfigMap");
    String[] args = withConfigFile(container.getArgs(), container.getVolumeMounts(), pod.getVolumes(),
        YAML.treeToValue(configMap, ConfigMap.class), configDir);
    assertThat(RetrainingSettings.fromMap(Settings.fromArgs(args)).schedule()).contains(Duration.ofDays(7));
  }

  /** The one-off retraining runs RetrainingJob from the retraining image, with arguments RetrainingJob parses. */
  @Test
  void retrainingJobRunsRetrainingJobWithArgumentsItParses(@TempDir Path configDir) throws Exception {
    FlinkDeployment deployment = flinkDeployment(DEPLOY.resolve("k8s/retraining-job.yaml"));
    var spec = deployment.getSpec();
    assertRetrainingImage(spec.getImage());
    assertThat(spec.getJob().getEntryClass()).isEqualTo(RetrainingJob.class.getName());
    assertThat(spec.getJob().getJarURI()).isEqualTo("local://" + RETRAINING_CLASSPATH + "training-job.jar");
    assertThat(Files.readString(DEPLOY.resolve("Dockerfile")))
        .contains("/riskstream-retraining/training-job.jar")
        .containsPattern("(?m)^COPY --from=retraining-build /riskstream-retraining/ " + RETRAINING_CLASSPATH + "$");
    assertThat(spec.getJob().getUpgradeMode()).isEqualTo(UpgradeMode.STATELESS);
    assertThat(spec.getFlinkConfiguration()).containsEntry("source.reader.close.timeout", "1000");

    JsonNode configMap = ofKind(yamlDocuments(DEPLOY.resolve("k8s/base/retraining-service.yaml")), "ConfigMap");
    PodSpec pod = spec.getPodTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    assertThat(container.getName()).isEqualTo("flink-main-container");
    String[] args = withConfigFile(List.of(spec.getJob().getArgs()), container.getVolumeMounts(), pod.getVolumes(),
        YAML.treeToValue(configMap, ConfigMap.class), configDir);
    // as main parses them: an unknown key or reason, or a missing champion or start, throws
    RetrainingJob.parse(args);
    assertRetrainingUsesTheJobsKafkaAndFiles(Settings.fromArgs(args), container.getVolumeMounts(), pod.getVolumes());
  }

  /** The image of the Dockerfile's retraining target, which the CI workflow builds. */
  private static void assertRetrainingImage(String image) throws IOException {
    assertThat(image).isEqualTo("riskstream:retraining");
    assertThat(Files.readString(DEPLOY.resolve("Dockerfile"))).containsPattern("(?m)^FROM \\S+ AS retraining$");
    assertThat(imagesBuiltByCi()).contains("retraining");
  }

  /**
   * The arguments with the path of {@code --config} swapped for a copy of the ConfigMap's file it
   * names, after checking that the container mounts that ConfigMap there.
   */
  private static String[] withConfigFile(List<String> args, List<VolumeMount> mounts, List<Volume> volumes,
      ConfigMap config, Path dir) throws IOException {
    Path mounted = Path.of(args.get(args.indexOf("--config") + 1));
    VolumeMount mount = mountOf(mounts, mounted);
    assertThat(volume(volumes, mount.getName()).getConfigMap().getName()).isEqualTo(config.getMetadata().getName());
    String file = Path.of(mount.getMountPath()).relativize(mounted).toString();
    assertThat(config.getData()).as("the ConfigMap holds " + file).containsKey(file);
    Path copy = Files.writeString(dir.resolve(file), config.getData().get(file));
    List<String> swapped = new ArrayList<>(args);
    swapped.set(args.indexOf("--config") + 1, copy.toString());
    return swapped.toArray(String[]::new);
  }

  /** Retraining's Kafka is the job's, and it reads and writes the job's feature log and registry on their claim. */
  private static void assertRetrainingUsesTheJobsKafkaAndFiles(Map<String, String> retraining, List<VolumeMount> mounts,
      List<Volume> volumes) throws IOException {
    FlinkDeployment job = flinkDeployment(DEPLOY.resolve("k8s/base/flinkdeployment.yaml"));
    Map<String, String> jobArgs = new HashMap<>();
    String[] args = job.getSpec().getJob().getArgs();
    for (int i = 0; i + 1 < args.length; i += 2) {
      jobArgs.put(args[i].substring(2), args[i + 1]);
    }
    for (ConfigOption<String> shared : List.of(KafkaOptions.BOOTSTRAP_SERVERS, FeatureLogOptions.PATH, ModelOptions.REGISTRY)) {
      assertThat(retraining.get(shared.key())).as(shared.key()).isEqualTo(jobArgs.get(shared.key()));
    }
    PodSpec jobPod = job.getSpec().getPodTemplate().getSpec();
    for (String path : List.of(URI.create(retraining.get(FeatureLogOptions.PATH.key())).getPath(),
        retraining.get(ModelOptions.REGISTRY.key()), retraining.get(RetrainingSettings.REPORTS.key()))) {
      String claim = volume(volumes, mountOf(mounts, Path.of(path)).getName()).getPersistentVolumeClaim().getClaimName();
      VolumeMount jobMount = mountOf(jobPod.getContainers().get(0).getVolumeMounts(), Path.of(path));
      assertThat(volume(jobPod.getVolumes(), jobMount.getName()).getPersistentVolumeClaim().getClaimName())
          .as(path + " is on the same claim for the job").isEqualTo(claim);
      assertThat(jobMount.getMountPath()).isEqualTo(mountOf(mounts, Path.of(path)).getMountPath());
      assertThat(sharedClaim().getMetadata().getName()).isEqualTo(claim);
    }
  }

  private static PersistentVolumeClaim sharedClaim() throws IOException {
    PersistentVolumeClaim claim = YAML.readValue(DEPLOY.resolve("k8s/base/shared-storage.yaml").toFile(), PersistentVolumeClaim.class);
    assertThat(claim.getSpec().getAccessModes()).as("every node mounts it").containsExactly("ReadWriteMany");
    return claim;
  }

  private static VolumeMount mountOf(List<VolumeMount> mounts, Path path) {
    return mounts.stream().filter(mount -> path.startsWith(Path.of(mount.getMountPath()))).findFirst()
        .orElseThrow(() -> new AssertionError(path + " is on no mounted volume: " + mounts));
  }

  private static Volume volume(List<Volume> volumes, String name) {
    return volumes.stream().filter(volume -> volume.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static List<JsonNode> yamlDocuments(Path file) throws IOException {
    try (var documents = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
      return documents.readAll();
    }
  }

  private static JsonNode ofKind(List<JsonNode> documents, String kind) {
    return documents.stream().filter(document -> document.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  /** The Flink settings the job owns: {@link RiskstreamJob#runtimeSettings} sets them over the cluster's. */
  private static String[] jobOwnedSettings() {
    JobConfig config = JobConfig.fromMap(Map.of(), Map.of(InputOptions.TOKEN_KEY_ENV, "a token key of 16+ bytes"));
    return RiskstreamJob.runtimeSettings(config).keySet().toArray(String[]::new);
  }

  private static void assertJobArguments(List<String> args) {
    Set<String> known = JobConfig.OPTIONS.stream().map(ConfigOption::key).collect(Collectors.toSet());
    assertThat(args.size() % 2).as("--key value pairs: " + args).isZero();
    for (int i = 0; i < args.size(); i += 2) {
      assertThat(args.get(i)).startsWith("--");
      assertThat(known).as("JobConfig setting").contains(args.get(i).substring(2));
    }
  }

  private static FlinkDeployment flinkDeployment(Path file) throws IOException {
    ObjectNode tree = (ObjectNode) YAML.readTree(file.toFile());
    ObjectNode spec = (ObjectNode) tree.get("spec");
    // operator API 1.10.0, the newest this build resolves, has no FlinkVersion for Flink 2; check it by name
    if (spec.has("flinkVersion")) {
      assertThat(spec.remove("flinkVersion").asText()).isEqualTo("v2_2");
    }
    return YAML.treeToValue(tree, FlinkDeployment.class);
  }

  private static Properties pinnedImages() throws IOException {
    Properties pinned = new Properties();
    try (var reader = Files.newBufferedReader(ROOT.resolve(".env"))) {
      pinned.load(reader);
    }
    return pinned;
  }

  private static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files.filter(path -> path.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    }
  }
}
