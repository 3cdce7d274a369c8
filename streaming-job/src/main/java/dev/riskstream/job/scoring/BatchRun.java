package dev.riskstream.job.scoring;

/** One ONNX Runtime run of a batch: how long it took and on which execution provider. */
public record BatchRun(long nanos, String executionProvider) {}
