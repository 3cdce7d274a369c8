package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The deployable job jar holds the job and what the Flink distribution lacks, and nothing else. */
class JobJarITCase {

  private static List<String> entries() throws IOException {
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst().orElseThrow();
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  void bundlesTheJobConnectorsAndOnnxRuntimeButNotFlinkOrTheLocalStack() throws IOException {
    List<String> entries = entries();
    assertThat(entries).contains(
        "dev/riskstream/job/RiskstreamJob.class",
        "dev/riskstream/job/BatchScoringJob.class",
        // batch inference's Avro files (the file connector itself is part of the Flink distribution)
        "org/apache/flink/formats/avro/AvroWriters.class",
        "dev/riskstream/features/CardFeatures.class",
        "dev/riskstream/schemas/Transaction.class",
        "org/apache/flink/connector/kafka/sink/KafkaSink.class",
        "ai/onnxruntime/OrtSession.class",
        // the lookup join: pool, cache, the production database's driver, and the migrations for ops
        "com/zaxxer/hikari/HikariDataSource.class",
        "com/github/benmanes/caffeine/cache/Caffeine.class",
        "org/postgresql/Driver.class",
        "db/migration/V1__profiles.sql");
    assertThat(entries).anyMatch(e -> e.startsWith("ai/onnxruntime/native/linux-x64/"))
        .anyMatch(e -> e.startsWith("ai/onnxruntime/native/linux-aarch64/"))
        .noneMatch(e -> e.startsWith("ai/onnxruntime/native/osx-") || e.startsWith("ai/onnxruntime/native/win-"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/environment/"))
        .noneMatch(e -> e.startsWith("org/apache/flink/runtime/"))
        // the broker: kafka-clients has some org/apache/kafka/server interfaces, but no raft or storage
        .noneMatch(e -> e.startsWith("kafka/server/") || e.startsWith("org/apache/kafka/raft/")
            || e.startsWith("org/apache/kafka/storage/internals/log/"))
        .noneMatch(e -> e.startsWith("dev/riskstream/local/"))
        // migrations are applied by the local stack or an operator, never by the job
        .noneMatch(e -> e.startsWith("org/flywaydb/") || e.startsWith("org/h2/"));
  }
}
