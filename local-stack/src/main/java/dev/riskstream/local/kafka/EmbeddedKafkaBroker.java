package dev.riskstream.local.kafka;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (one process acting as broker and
 * controller), running inside this JVM. Settings are chosen so that transactions and
 * exactly-once delivery work with a single replica.
 *
 * <p>Clients connect without authentication on {@link #bootstrapServers()}. Started with a table of
 * users, the broker also has a SASL_PLAINTEXT listener on {@link #saslBootstrapServers()} that admits
 * exactly those users with the PLAIN and SCRAM-SHA-512 mechanisms (their SCRAM credentials written
 * when the storage is formatted, as {@code kafka-storage format --add-scram} does), and given a key
 * and certificate, a SASL_SSL listener with the same users on {@link #sslBootstrapServers()}: for
 * trying out and testing client security settings (passwords over plaintext: never outside tests).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  // An explicit address rather than "localhost": the free-port probe, the listener and the
  // address clients are given must all agree on one interface, whatever localhost resolves to.
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String SASL_LISTENER = "SASL_PLAINTEXT";
  private static final String SSL_LISTENER = "SASL_SSL";
  private static final List<String> SASL_MECHANISMS = List.of("PLAIN", "SCRAM-SHA-512");
  private static final short REPLICATION_FACTOR = 1;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TOPIC_POLL_INTERVAL = Duration.ofMillis(20);

  private final KafkaRaftServer server;
  private final Admin admin;
  private final int port;
  private final int saslPort;
  private final int sslPort;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private boolean closed;

  private EmbeddedKafkaBroker(KafkaRaftServer server, int port, int saslPort, int sslPort, Path dataDir,
      boolean ownsDataDir) {
    this.server = server;
    this.port = port;
    this.saslPort = saslPort;
    this.sslPort = sslPort;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /**
   * Starts a broker that keeps its logs in {@code dataDir}, formatting the directory first if it
   * has never held a broker. Returns once the broker answers requests.
   *
   * @param port the client (PLAINTEXT) port on 127.0.0.1, or 0 for a free one
   */
  public static EmbeddedKafkaBroker start(int port, Path dataDir) {
    return launch(port, Map.of(), Optional.empty(), dataDir.toAbsolutePath(), false);
  }

  /** Like {@link #start}, in a fresh temporary directory that {@link #close()} deletes. */
  public static EmbeddedKafkaBroker startTemporary(int port) {
    return startTemporary(port, Map.of());
  }

  /**
   * Like {@link #startTemporary(int)}, plus a SASL_PLAINTEXT listener on a free port that admits
   * these users with the PLAIN and SCRAM-SHA-512 mechanisms.
   *
   * @param users password by user name; empty: no SASL listener
   */
  public static EmbeddedKafkaBroker startTemporary(int port, Map<String, String> users) {
    return startTemporary(port, users, Optional.empty());
  }

  /**
   * Like {@link #startTemporary(int, Map)}, plus a SASL_SSL listener on a free port that admits the
   * same users with the same mechanisms and presents the key and certificate of {@code tls}.
   */
  public static EmbeddedKafkaBroker startTemporary(int port, Map<String, String> users, TlsIdentity tls) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SASL_SSL listener needs users");
    }
    return startTemporary(port, users, Optional.of(tls));
  }

  /** A key and its certificate in a key store file, as Kafka's ssl.keystore.* settings take them. */
  public record TlsIdentity(Path keyStore, String type, String password) {
    @Override
    public String toString() {
      return "TlsIdentity[" + keyStore + ", " + type + "]";
    }
  }

  private static EmbeddedKafkaBroker startTemporary(int port, Map<String, String> users, Optional<TlsIdentity> tls) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("riskstream-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create a temporary Kafka data directory", e);
    }
    try {
      return launch(port, users, tls, dataDir, true);
    } catch (RuntimeException e) {
      // a broker that got as far as starting has deleted it already; deleting twice is harmless
      try {
        delete(dataDir);
      } catch (RuntimeException deleteFailure) {
        e.addSuppressed(deleteFailure);
      }
      throw e;
    }
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** Address of the SASL_PLAINTEXT listener (PLAIN and SCRAM-SHA-512 mechanisms). */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException("this broker was started without SASL users, so without a SASL listener");
    }
    return HOST + ":" + saslPort;
  }

  /** Address of the SASL_SSL listener (PLAIN and SCRAM-SHA-512 mechanisms). */
  public String sslBootstrapServers() {
    if (sslPort == 0) {
      throw new IllegalStateException("this broker was started without a key and certificate, so without SASL_SSL");
    }
    return HOST + ":" + sslPort;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Creates each topic with the given number of partitions and one replica, and waits until
   * every partition has a leader. A topic that already exists is left as it is.
   */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    List<NewTopic> topics = partitionsByTopic.entrySet().stream()
        .map(topic -> new NewTopic(topic.getKey(), topic.getValue(), REPLICATION_FACTOR))
        .toList();
    admin.createTopics(topics).values().forEach((topic, created) -> {
      try {
        await(created, "creation of topic " + topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("Could not create topic " + topic, e.getCause());
        }
      }
    });
    awaitPartitionLeaders(partitionsByTopic.keySet());
  }

  /** Stops the broker and waits until it has released its ports and files. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      admin.close(TIMEOUT);
    } finally {
      server.shutdown();
      server.awaitShutdown();
      LOG.info("Kafka broker on {} stopped", bootstrapServers());
      if (ownsDataDir) {
        delete(dataDir);
      }
    }
  }

  private static EmbeddedKafkaBroker launch(int requestedPort, Map<String, String> users, Optional<TlsIdentity> tls,
      Path dataDir, boolean ownsDataDir) {
    long startedAt = System.nanoTime();
    // Kafka could pick the client port itself, but KafkaRaftServer does not reveal the port it
    // bound; the controller port must be known up front because it is part of the voter list.
    int port = requestedPort == 0 ? freePort() : requestedPort;
    int controllerPort = freePort();
    users.forEach(EmbeddedKafkaBroker::requireQuotableCredentials);
    int saslPort = users.isEmpty() ? 0 : freePort();
    int sslPort = tls.isPresent() ? freePort() : 0;
    formatIfNew(dataDir, users);
    Properties properties = serverProperties(port, controllerPort, dataDir);
    if (!users.isEmpty()) {
      addSaslListener(properties, SASL_LISTENER, saslPort, users);
    }
    tls.ifPresent(identity -> {
      addSaslListener(properties, SSL_LISTENER, sslPort, users);
      String prefix = "listener.name." + SSL_LISTENER.toLowerCase(Locale.ROOT) + ".ssl.";
      properties.put(prefix + "keystore.location", identity.keyStore().toAbsolutePath().toString());
      properties.put(prefix + "keystore.type", identity.type());
      properties.put(prefix + "keystore.password", identity.password());
      properties.put(prefix + "key.password", identity.password());
    });
    KafkaConfig config = KafkaConfig.fromProps(properties, false);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    AutoCloseable cleanup = () -> {
      server.shutdown();
      server.awaitShutdown();
    };
    try {
      server.startup();
      // The admin client connects as soon as it exists; created earlier, it would only log
      // connection failures while the broker starts.
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, port, saslPort, sslPort, dataDir, ownsDataDir);
      cleanup = broker;
      broker.awaitReady();
      LOG.info("Kafka broker on {} started in {} ms (data in {})", broker.bootstrapServers(),
          Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), dataDir);
      return broker;
    } catch (RuntimeException e) {
      try {
        cleanup.close();
      } catch (Exception cleanupFailure) {
        e.addSuppressed(cleanupFailure);
      }
      throw e;
    }
  }

  private static Properties serverProperties(int port, int controllerPort, Path dataDir) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    // A static voter list (rather than a dynamic quorum) keeps the controller address out of
    // the stored metadata, so a persistent data directory can be restarted on new ports.
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.toString());

    // Internal topics default to three replicas, which one broker can never provide.
    props.put("offsets.topic.replication.factor", String.valueOf(REPLICATION_FACTOR));
    props.put("transaction.state.log.replication.factor", String.valueOf(REPLICATION_FACTOR));
    props.put("transaction.state.log.min.isr", "1");
    props.put("min.insync.replicas", "1");
    // Fifty partitions per internal topic only slow down the first group or transaction here.
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.num.partitions", "1");

    props.put("group.initial.rebalance.delay.ms", "0");
    // Flink's exactly-once sink is usually run with transaction timeouts up to an hour; the
    // broker rejects a producer whose timeout exceeds this maximum.
    props.put("transaction.max.timeout.ms", String.valueOf(Duration.ofHours(1).toMillis()));
    // Every topic is declared; a typo in a topic name should fail rather than create a topic.
    props.put("auto.create.topics.enable", "false");
    return props;
  }

  // The broker's own traffic (inter-broker, the admin client above) stays on PLAINTEXT, so only
  // clients that are given a SASL address need credentials.
  private static void addSaslListener(Properties props, String listener, int listenerPort, Map<String, String> users) {
    String address = listener + "://" + HOST + ":" + listenerPort;
    props.put("listeners", props.getProperty("listeners") + "," + address);
    props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + address);
    props.put("listener.security.protocol.map",
        props.getProperty("listener.security.protocol.map") + "," + listener + ":" + listener);
    // the default, GSSAPI, would need Kerberos
    props.put("sasl.enabled.mechanisms", String.join(",", SASL_MECHANISMS));
    String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
    StringBuilder plain = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    users.forEach((user, password) -> plain.append(" user_").append(user).append("=\"").append(password).append('"'));
    props.put(prefix + "plain.sasl.jaas.config", plain + ";");
    // SCRAM users are in the cluster metadata (see formatIfNew), not in the login module
    props.put(prefix + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
  }

  // the JAAS line and the SCRAM arguments quote passwords, with no escapes
  private static void requireQuotableCredentials(String user, String password) {
    if (!user.matches("[A-Za-z0-9_.-]+") || password.contains("\"") || password.contains("\\")) {
      throw new IllegalArgumentException("SASL user names are letters, digits, _ . -, and passwords have no "
          + "quotes or backslashes: " + user);
    }
  }

  private static void formatIfNew(Path dataDir, Map<String, String> users) {
    if (Files.exists(dataDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
      return;
    }
    String clusterId = Uuid.randomUuid().toString();
    try {
      new Formatter()
          // its progress lines are meant for the kafka-storage tool's console; failures are thrown
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(NODE_ID)
          .setClusterId(clusterId)
          .setControllerListenerName(CONTROLLER_LISTENER)
          .addDirectory(dataDir.toString())
          .setMetadataLogDirectory(dataDir.toString())
          .setScramArguments(users.entrySet().stream()
              .map(user -> "SCRAM-SHA-512=[name=" + user.getKey() + ",password=\"" + user.getValue() + "\"]")
              .toList())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Could not format Kafka storage in " + dataDir, e);
    }
    LOG.info("Formatted Kafka storage in {} for cluster {}", dataDir, clusterId);
  }

  private void awaitReady() {
    try {
      await(admin.describeCluster().nodes(), "the broker to accept requests");
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not answer", e.getCause());
    }
  }

  // Topic creation is acknowledged by the controller; the broker learns about new partitions
  // from the metadata log a moment later, and until then clients are told the topic is unknown.
  private void awaitPartitionLeaders(Collection<String> topics) {
    try {
      Awaitility.await().atMost(TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(TOPIC_POLL_INTERVAL)
          .until(() -> allPartitionsHaveLeaders(topics));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("Partitions of " + topics + " got no leader within " + TIMEOUT, e);
    }
  }

  private boolean allPartitionsHaveLeaders(Collection<String> topics) {
    try {
      Map<String, TopicDescription> descriptions =
          await(admin.describeTopics(topics).allTopicNames(), "description of topics " + topics);
      return descriptions.values().stream()
          .flatMap(description -> description.partitions().stream())
          .allMatch(partition -> partition.leader() != null);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw new IllegalStateException("Could not describe topics " + topics, e.getCause());
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) throws ExecutionException {
    try {
      return future.get(TIMEOUT.toMillis(), MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + what, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Timed out after " + TIMEOUT + " waiting for " + what, e);
    }
  }

  // Probing for a free port leaves a small window in which another process could take it;
  // Kafka then fails to bind and start() fails loudly rather than silently using another port.
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on " + HOST, e);
    }
  }

  private static void delete(Path dir) {
    try {
      Utils.delete(dir.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not delete Kafka data directory " + dir, e);
    }
  }
}
