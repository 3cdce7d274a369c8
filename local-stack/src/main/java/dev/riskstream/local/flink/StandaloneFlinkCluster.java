package dev.riskstream.local.flink;

import static org.awaitility.Awaitility.await;

import dev.riskstream.job.StateChangelog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions.TaskManagerLoadBalanceMode;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.clusterframework.BootstrapTools;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.taskexecutor.TaskManagerRunner;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;
import org.apache.flink.util.NetUtils;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Flink standalone session cluster on this machine, as Flink's {@code start-cluster.sh} would
 * start it: one JobManager and N TaskManagers, each its own JVM, reading one generated
 * {@code config.yaml}. Each process writes its log to {@code <workDir>/<name>.log}. Closing it (or
 * the exit of this JVM) ends the processes.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {

  /**
   * What to start. {@code restPort} 0: any free port; {@code environment}: added to every process's
   * environment (the job's main method runs in the JobManager and reads its settings from there);
   * {@code prometheusPorts}: a port range (such as {@code 9249-9259}) from which every process takes
   * one to serve its metrics for Prometheus at {@code /metrics}, or null for none.
   */
  public record Settings(int taskManagers, int slotsPerTaskManager, int restPort, Path workDir, Path jobJar,
      Map<String, String> environment, String prometheusPorts) {}

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
  private static final MemorySize JOB_MANAGER_MEMORY = MemorySize.parse("1024m");
  private static final MemorySize TASK_MANAGER_MEMORY = MemorySize.parse("1600m");
  /** The TaskManagers' collector, as the deployment files set it (docs/operations.md, "Where keyed state lives"). */
  private static final String LOW_PAUSE_COLLECTOR = "-XX:+UseZGC";
  private static final String LOG4J_CONFIG = "log4j-cluster.properties";
  /** Those of flink-dist's {@code env.java.default-opts.all}: Flink's serializers reach into the JDK. */
  private static final List<String> JDK_OPENS = List.of(
      "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.text=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  private final Settings settings;
  private final Configuration config;
  private final Path configDir;
  private final String classpath;
  private final FlinkRestClient rest;
  private final Process jobManager;
  /** By resource id, which the REST API reports as {@code taskmanager-id}. */
  private final Map<String, Process> taskManagers = new LinkedHashMap<>();
  private final Thread shutdownHook = new Thread(this::destroyAll, "riskstream-flink-cluster-shutdown");

  private StandaloneFlinkCluster(Settings settings, Configuration config) throws IOException {
    this.settings = settings;
    this.config = config;
    this.configDir = Files.createDirectories(settings.workDir().resolve("conf"));
    BootstrapTools.writeConfiguration(config, configDir.resolve("config.yaml").toFile());
    try (InputStream log4j = StandaloneFlinkCluster.class.getResourceAsStream(LOG4J_CONFIG)) {
      Files.copy(log4j, configDir.resolve(LOG4J_CONFIG));
    }
    this.classpath = ClusterClasspath.without(System.getProperty("java.class.path"), settings.jobJar()).stream()
        .map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator));
    this.rest = new FlinkRestClient(restUri());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    JobManagerProcessSpec jobManagerSpec = JobManagerProcessUtils.processSpecFromConfig(config);
    this.jobManager = launch("jobmanager", StandaloneSessionClusterEntrypoint.class,
        JobManagerProcessUtils.generateJvmParametersStr(jobManagerSpec, config),
        JobManagerProcessUtils.generateDynamicConfigsStr(jobManagerSpec));
    for (int i = 1; i <= settings.taskManagers(); i++) {
      startTaskManager("taskmanager-" + i);
    }
  }

  /** Starts the processes and returns once every TaskManager has registered with the JobManager. */
  public static StandaloneFlinkCluster start(Settings settings) throws IOException, InterruptedException {
    StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(settings, configuration(settings));
    try {
      cluster.awaitTaskManagers();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Configuration configuration(Settings settings) throws IOException {
    Path workDir = settings.workDir().toAbsolutePath();
    Configuration config = new Configuration();
    config.set(JobManagerOptions.ADDRESS, "localhost");
    config.set(JobManagerOptions.BIND_HOST, "localhost");
    config.set(JobManagerOptions.PORT, freePort());
    config.set(RestOptions.ADDRESS, "localhost");
    config.set(RestOptions.BIND_ADDRESS, "localhost");
    config.set(RestOptions.PORT, settings.restPort() == 0 ? freePort() : settings.restPort());
    config.set(TaskManagerOptions.HOST, "localhost");
    config.set(TaskManagerOptions.BIND_HOST, "localhost");
    config.set(TaskManagerOptions.NUM_TASK_SLOTS, settings.slotsPerTaskManager());
    // every TaskManager gets a share of the job, so that losing one is felt
    config.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerLoadBalanceMode.SLOTS);
    // the bash scripts derive the JVM's memory flags from these; so does launch()
    config.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, JOB_MANAGER_MEMORY);
    config.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, TASK_MANAGER_MEMORY);
    // keyed state lives on the task heap (the job's state.backend HASHMAP); managed memory is RocksDB's
    config.set(TaskManagerOptions.MANAGED_MEMORY_FRACTION, 0.05f);
    // a collector that works concurrently, rather than pausing the decisions to copy young card histories
    config.set(CoreOptions.FLINK_TM_JVM_OPTIONS, LOW_PAUSE_COLLECTOR);
    // a killed TaskManager is declared lost within seconds rather than Flink's default 50 s
    config.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
    config.set(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT, Duration.ofSeconds(5));
    config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, workDir.resolve("checkpoints").toUri().toString());
    config.addAll(StateChangelog.storage(workDir.resolve("changelog").toUri().toString()));
    config.set(CoreOptions.TMP_DIRS, Files.createDirectories(workDir.resolve("tmp")).toString());
    config.set(WebOptions.UPLOAD_DIR, Files.createDirectories(workDir.resolve("uploads")).toString());
    if (settings.prometheusPorts() != null) {
      PrometheusReporter.enable(config, settings.prometheusPorts());
    }
    return config;
  }

  /** The REST API and web dashboard. */
  public URI restUri() {
    return URI.create("http://localhost:" + config.get(RestOptions.PORT));
  }

  /** A client of the REST API, closed with the cluster. */
  public FlinkRestClient rest() {
    return rest;
  }

  public Path workDir() {
    return settings.workDir();
  }

  /** SIGKILL, no goodbye: the JobManager learns of it by the missed heartbeats and lost connections. */
  public void kill(String taskManagerId) throws InterruptedException {
    Process process = taskManagers.get(taskManagerId);
    if (process == null) {
      throw new IllegalArgumentException("no TaskManager " + taskManagerId + " among " + taskManagers.keySet());
    }
    process.destroyForcibly().waitFor();
  }

  private void startTaskManager(String resourceId) throws IOException {
    TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
    // TaskManagerRunner refuses to start without the derived memory sizes: the scripts pass them as -D
    taskManagers.put(resourceId, launch(resourceId, TaskManagerRunner.class,
        ProcessMemoryUtils.generateJvmParametersStr(spec) + " " + config.get(CoreOptions.FLINK_TM_JVM_OPTIONS),
        TaskExecutorProcessUtils.generateDynamicConfigsStr(spec) + " -D "
            + TaskManagerOptions.TASK_MANAGER_RESOURCE_ID.key() + "=" + resourceId));
  }

  private Process launch(String name, Class<?> mainClass, String jvmParameters, String dynamicConfigs)
      throws IOException {
    Path log = settings.workDir().resolve(name + ".log").toAbsolutePath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(jvmParameters.trim().split("\\s+")));
    command.addAll(JDK_OPENS);
    command.add("-Dlog4j.configurationFile=" + configDir.resolve(LOG4J_CONFIG).toAbsolutePath());
    // where the dashboard's log tab reads
    command.add("-Dlog.file=" + log);
    command.addAll(List.of("-cp", classpath, mainClass.getName(), "--configDir", configDir.toAbsolutePath().toString()));
    command.addAll(Arrays.asList(dynamicConfigs.trim().split("\\s+")));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(settings.environment());
    return builder.start();
  }

  private void awaitTaskManagers() throws IOException, InterruptedException {
    try {
      await().atMost(READY_TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
          .until(this::allTaskManagersRegistered);
    } catch (ConditionTimeoutException e) {
      throw new IOException("the cluster was not ready within " + READY_TIMEOUT + "; see the logs in " + settings.workDir());
    }
  }

  private boolean allTaskManagersRegistered() throws IOException, InterruptedException {
    List<String> dead = new ArrayList<>();
    if (!jobManager.isAlive()) {
      dead.add("jobmanager");
    }
    taskManagers.forEach((id, process) -> {
      if (!process.isAlive()) {
        dead.add(id);
      }
    });
    if (!dead.isEmpty()) {
      throw new IOException("Flink process(es) " + dead + " exited during start; see their logs in " + settings.workDir());
    }
    try {
      return rest.taskManagers() == settings.taskManagers();
    } catch (IOException notListeningYet) {
      // the JobManager is still starting
      return false;
    }
  }

  private static int freePort() throws IOException {
    // Flink's own helper: it also locks the port against other Flink tests on this machine until closed
    try (NetUtils.Port port = NetUtils.getAvailablePort()) {
      return port.getPort();
    } catch (Exception e) {
      throw new IOException("cannot reserve a free port", e);
    }
  }

  /** TaskManagers first, so that the JobManager does not restart their tasks elsewhere meanwhile. */
  private void destroyAll() {
    List<Process> processes = new ArrayList<>(taskManagers.values());
    processes.add(jobManager);
    for (Process process : processes) {
      if (process == null) {
        continue;
      }
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    destroyAll();
    rest.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is exiting: the hook is running or has run
    }
  }
}
