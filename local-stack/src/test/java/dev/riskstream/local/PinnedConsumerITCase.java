package dev.riskstream.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.settings.KafkaOptions;
import dev.riskstream.job.DeliveryOptions;
import dev.riskstream.job.JobConfig;
import dev.riskstream.job.RiskstreamJob;
import dev.riskstream.job.RuleOptions;
import dev.riskstream.job.TestJobSettings;
import dev.riskstream.local.kafka.EmbeddedKafkaBroker;
import dev.riskstream.local.kafka.TopicConsumers;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.Decision;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Outcome;
import dev.riskstream.schemas.RuleSetStatus;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers upgrade first, the job's writer after: a consumer compiled against the first released
 * {@code Decision} (its classes generated from v1 and compiled here, in a class loader that sees
 * none of the current schemas) and one on the first released {@code DeadLetter}, which know no later
 * version, read everything a job of this release writes when its outputs are pinned to v1, although
 * the job decides with rules (fields of Decision v3) and dead-letters a duplicate (a reason added
 * after DeadLetter v1, read as OTHER).
 */
class PinnedConsumerITCase {

  private static final int TRANSACTIONS = 30;

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void consumersOnTheFirstReleasedSchemasReadAJobPinnedToThemAfterItsUpgrade() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yaml"), """
        version: rules-1
        rules:
          - {id: everything, expression: "amount >= 0.0", action: DECLINE, reason: HELD}
        """);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary(0)) {
      JobConfig config = TestJobSettings.config(Map.of(
          KafkaOptions.BOOTSTRAP_SERVERS.key(), broker.bootstrapServers(),
          KafkaOptions.TRANSACTIONAL_ID_PREFIX.key(), "riskstream-pinned-test",
          DeliveryOptions.GUARANTEE.key(), "AT_LEAST_ONCE",
          RuleOptions.FILE.key(), rules.toString(),
          "output.decisions.schema-version", "1",
          "output.dead-letters.schema-version", "1"));
      broker.createTopics(Map.of(config.transactionsTopic(), 2, config.decisionsTopic(), 2,
          config.deadLettersTopic(), 1, config.drift().reportsTopic(), 1, config.drift().retrainRequestsTopic(), 1));

      Set<String> sent = new HashSet<>();
      TransactionSimulator simulator = TransactionSimulator.builder().seed(11).build();
      Transaction last = null;
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < TRANSACTIONS; i++) {
          last = simulator.next().transaction();
          sent.add(last.getTransactionId());
          send(producer, config, last);
        }
        send(producer, config, last); // a producer's retry: a duplicate
      }

      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(RiskstreamJob.runtimeSettings(config));
      env.setParallelism(2);
      RiskstreamJob.wireKafka(env, config);
      JobClient job = env.executeAsync("riskstream-pinned-consumer");
      Schema deadLetterV1 = AvroCodec.of(DeadLetter.class).releasedSchemas().get(0);
      CompiledConsumer decisionsOnV1 = CompiledConsumer.of(AvroCodec.of(Decision.class).releasedSchemas().get(0),
          dir.resolve("decision-v1-consumer"));
      BinaryMessageDecoder<GenericRecord> deadLettersOnV1 = new BinaryMessageDecoder<>(GenericData.get(), deadLetterV1);
      Set<String> decided = new HashSet<>();
      List<GenericRecord> letters = new ArrayList<>();
      List<String> outcomes = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> consumer = TopicConsumers.fromBeginning(broker, IsolationLevel.READ_COMMITTED,
          "pinned-reader", config.decisionsTopic(), config.deadLettersTopic())) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((decided.size() < TRANSACTIONS || letters.isEmpty()) && System.nanoTime() < deadline) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            if (record.topic().equals(config.decisionsTopic())) {
              Object decision = decisionsOnV1.decode(record.value());
              decided.add(CompiledConsumer.get(decision, "getTransactionId").toString());
              outcomes.add(CompiledConsumer.get(decision, "getOutcome").toString());
            } else {
              letters.add(deadLettersOnV1.decode(record.value()));
            }
          }
        }
      } finally {
        job.cancel().get();
        job.getJobExecutionResult().handle((result, cancelled) -> result).get();
      }
      assertThat(decided).isEqualTo(sent);
      Decision current = Decision.newBuilder().setTransactionId("t").setCardToken("c").setEventTime(Instant.EPOCH)
          .setDecidedAt(Instant.EPOCH).setScore(0.5).setOutcome(Outcome.REVIEW).setReasons(List.of())
          .setModelVersion("m").setExecutionProvider("cpu").setLookupStatus(LookupStatus.NOT_CONFIGURED).build();
      assertThatThrownBy(() -> decisionsOnV1.decode(AvroCodec.of(Decision.class).encode(current)))
          .as("unpinned, the same consumer cannot read the current Decision")
          .rootCause().extracting(cause -> cause.getClass().getName())
          .as("its own Avro's MissingSchemaException").isEqualTo(MissingSchemaException.class.getName());
      assertThat(outcomes).as("the rule decided, and v1 carries its outcome").containsOnly("DECLINE");
      String duplicated = last.getTransactionId();
      assertThat(letters).singleElement().satisfies(letter -> {
        assertThat(letter.get("reason")).as("DUPLICATE came after v1").hasToString("OTHER");
        assertThat(letter.get("errorMessage").toString()).contains(duplicated);
      });
    }
  }

  /**
   * The record class of a schema, generated by Avro's compiler and compiled, loaded where only Avro
   * and its libraries are seen, as in a consumer's own build: it decodes the single-object encoding of
   * its own schema and of nothing newer.
   */
  private record CompiledConsumer(Object decoder, Method decode) {

    static CompiledConsumer of(Schema schema, Path dir) throws Exception {
      Path sources = Files.createDirectories(dir.resolve("src"));
      Path classes = Files.createDirectories(dir.resolve("classes"));
      new SpecificCompiler(schema).compileToDestination(null, sources.toFile());
      List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp", avroClasspath().stream()
          .map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
      try (Stream<Path> files = Files.walk(sources)) {
        files.filter(file -> file.toString().endsWith(".java")).forEach(file -> arguments.add(file.toString()));
      }
      assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, arguments.toArray(String[]::new)))
          .as("the generated consumer compiles").isZero();
      List<URL> urls = new ArrayList<>(List.of(classes.toUri().toURL()));
      for (Path jar : avroClasspath()) {
        urls.add(jar.toUri().toURL());
      }
      ClassLoader consumer = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      Class<?> record = consumer.loadClass(schema.getFullName());
      assertThat(record.getClassLoader()).isSameAs(consumer);
      assertThatThrownBy(() -> consumer.loadClass(RuleSetStatus.class.getName()))
          .as("none of the current schemas").isInstanceOf(ClassNotFoundException.class);
      Object decoder = record.getMethod("getDecoder").invoke(null);
      return new CompiledConsumer(decoder, decoder.getClass().getMethod("decode", byte[].class));
    }

    Object decode(byte[] payload) throws Exception {
      return decode.invoke(decoder, (Object) payload);
    }

    static Object get(Object record, String getter) throws Exception {
      return record.getClass().getMethod(getter).invoke(record);
    }

    /** Avro and what it needs to decode, from this test's classpath. */
    private static List<Path> avroClasspath() {
      return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
          .filter(jar -> jar.getFileName().toString().matches("(avro|jackson-(core|databind|annotations)|slf4j-api)-[0-9].*\\.jar"))
          .toList();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, JobConfig config, Transaction tx) {
    producer.send(new ProducerRecord<>(config.transactionsTopic(), tx.getCustomerId().getBytes(StandardCharsets.UTF_8),
        AvroCodec.of(Transaction.class).encode(tx)));
  }
}
