package dev.riskstream.local.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load averages over 1, 5 and 15 minutes, as {@code uptime} shows them: figures
 * measured on a busy machine are only comparable with the load they were measured under.
 */
final class LoadAverage {

  private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");

  private LoadAverage() {}

  static String now() {
    try {
      String[] fields = Files.readString(PROC_LOADAVG).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      // not Linux: the JVM knows the one-minute figure
      return String.format(java.util.Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
