package dev.riskstream.local.cli;

import picocli.CommandLine.Option;

/** Where the embedded broker and the Flink REST API and dashboard listen. */
final class PortOptions {

  @Option(names = "--kafka-port", description = "Port of the embedded broker, 0 for any free port (default ${DEFAULT-VALUE}).")
  int kafkaPort = 9092;

  @Option(names = "--ui-port", description = "Port of the Flink REST API and web dashboard, 0 for any free port "
      + "(default ${DEFAULT-VALUE}).")
  int uiPort = 8081;
}
