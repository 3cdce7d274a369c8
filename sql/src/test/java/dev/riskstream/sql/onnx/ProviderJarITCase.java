package dev.riskstream.sql.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.sql.format.RiskstreamAvroFormatFactory;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The provider jar registers its factories and holds what a Flink distribution lacks, Jackson relocated. */
class ProviderJarITCase {

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().endsWith("-provider.jar")).findFirst().orElseThrow();
    }
  }

  @Test
  void registersTheFactoriesAndBundlesFeatureCodeOnnxRuntimeAndFlinksAvroFormatButNotFlink() throws IOException {
    try (JarFile file = new JarFile(jar().toFile())) {
      List<String> entries = file.stream().map(ZipEntry::getName).toList();
      assertThat(entries).contains("dev/riskstream/sql/onnx/OnnxModelProviderFactory.class",
          "dev/riskstream/features/bundle/ModelBundle.class", "dev/riskstream/features/onnx/ProbabilityOutput.class",
          "ai/onnxruntime/OrtSession.class", "dev/riskstream/sql/format/RiskstreamAvroFormatFactory.class",
          "dev/riskstream/schemas/Transaction.class",
          // Avro to rows and back: flink-avro is no part of a Flink distribution's lib/
          "org/apache/flink/formats/avro/AvroToRowDataConverters.class");
      assertThat(entries).anyMatch(e -> e.startsWith("ai/onnxruntime/native/linux-x64/"))
          .anyMatch(e -> e.startsWith("dev/riskstream/sql/shaded/com/fasterxml/jackson/databind/"))
          .noneMatch(e -> e.startsWith("com/fasterxml/"))
          .noneMatch(e -> e.endsWith(".class") && e.startsWith("org/apache/flink/")
              && !e.startsWith("org/apache/flink/formats/avro/"))
          .noneMatch(e -> e.startsWith("ai/onnxruntime/native/osx-") || e.startsWith("ai/onnxruntime/native/win-"));
      try (InputStream services = file.getInputStream(
          file.getEntry("META-INF/services/org.apache.flink.table.factories.Factory"))) {
        assertThat(new String(services.readAllBytes(), StandardCharsets.UTF_8))
            .contains(OnnxModelProviderFactory.class.getName(), RiskstreamAvroFormatFactory.class.getName());
      }
    }
  }

  /**
   * A JVM with Flink's classes and the provider jar only, none of riskstream's modules nor an
   * unrelocated Jackson: the baseline bundle, its manifest read by the relocated Jackson, scores a row.
   */
  @Test
  void aClusterWithTheJarInLibScoresWithABundle() throws Exception {
    // riskstream's modules come from the build's own directories in a reactor build, from the local
    // repository otherwise: neither may be on the classpath
    String project = Path.of("..").toAbsolutePath().normalize() + File.separator;
    List<String> flinkOnly = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).toAbsolutePath().normalize().toString().startsWith(project)
            && !entry.contains("/dev/riskstream/") && !entry.contains("/com/fasterxml/jackson/")
            && !entry.contains("/com/microsoft/onnxruntime/"))
        .toList();
    Path bundle = Path.of("../models/baseline").toAbsolutePath().normalize();
    String columns = String.join(",", ModelBundle.load(bundle).manifest().input().features());
    Process query = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", String.join(File.pathSeparator, flinkOnly) + File.pathSeparator + jar().toAbsolutePath(),
        Path.of("src/test/resources/ProviderJarQuery.java").toString(), bundle.toString(), columns)
        .redirectErrorStream(true).start();
    String output = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(query.waitFor()).as(output).isZero();
    String score = output.lines().filter(line -> line.startsWith("score=")).findFirst().orElseThrow(
        () -> new AssertionError(output)).substring("score=".length());
    assertThat(Double.parseDouble(score)).isBetween(0.0, 1.0);
  }
}
