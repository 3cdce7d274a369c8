package dev.riskstream.local.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The classpath of the cluster's processes, in the role of a Flink distribution's {@code lib/}:
 * this JVM's classpath without riskstream's own classes and without the Flink artifacts that the job
 * jar brings itself (the Kafka connector, flink-avro, the connector base). flink-dist is not on Maven
 * Central, but the local stack already has Flink's runtime on its classpath, for the demo's
 * MiniCluster; subtracting rather than listing Flink's artifacts keeps the two in step as
 * dependencies change.
 *
 * <p>Why only Flink's: Flink loads {@code org.apache.flink.*} parent-first, so a connector left in
 * {@code lib/} would shadow the job jar's; everything else in the job jar is loaded child-first and
 * wins over {@code lib/}, as on a production cluster. Libraries that the job jar and Flink's runtime
 * share (commons-lang3, for one) must stay, or the runtime itself cannot start. What stays as well
 * is what only the local stack uses (the Kafka broker, H2): it could hide a class missing from the
 * job jar, which {@code JobJarITCase} checks instead.
 */
public final class ClusterClasspath {

  private static final String OWN_PACKAGE = "dev/riskstream/";
  private static final String FLINK_PACKAGE = "org/apache/flink/";

  private ClusterClasspath() {}

  /** Entries of {@code classpath} (path-separated) with no riskstream class and no Flink class that {@code jobJar} has. */
  public static List<Path> without(String classpath, Path jobJar) {
    Set<String> jobFlinkClasses = classesIn(jobJar).stream().filter(name -> name.startsWith(FLINK_PACKAGE))
        .collect(Collectors.toSet());
    return Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(Path::of)
        .filter(Files::exists)
        .filter(entry -> classesIn(entry).stream()
            .noneMatch(name -> name.startsWith(OWN_PACKAGE) || jobFlinkClasses.contains(name)))
        .toList();
  }

  private static Set<String> classesIn(Path entry) {
    try {
      if (Files.isDirectory(entry)) {
        try (Stream<Path> files = Files.walk(entry)) {
          return files.filter(file -> file.toString().endsWith(".class"))
              .map(file -> entry.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
              .collect(Collectors.toSet());
        }
      }
      try (JarFile jar = new JarFile(entry.toFile())) {
        return jar.stream().map(ZipEntry::getName)
            // module-info and multi-release variants are in many unrelated jars
            .filter(name -> name.endsWith(".class") && !name.endsWith("module-info.class") && !name.startsWith("META-INF/"))
            .collect(Collectors.toSet());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read classpath entry " + entry, e);
    }
  }
}
