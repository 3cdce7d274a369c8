package dev.riskstream.ops;

import picocli.CommandLine.Option;

/** Where a model without a manifest keeps the fraud probability, as {@code model score} and {@code model bundle} ask. */
public final class ModelOutputOptions {

  @Option(names = "--output", paramLabel = "NAME",
      description = "Output with the probabilities (default: the only float tensor or ZipMap output).")
  String output;

  @Option(names = "--positive-class", paramLabel = "INDEX|LABEL",
      description = "Fraud class: column of an [N,C] output, key of a ZipMap (default: 1 of two classes).")
  String positiveClass;
}
