package dev.riskstream.job.operators;

import dev.riskstream.features.bundle.ModelBundle;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ExecutionProviderChoice;
import dev.riskstream.job.scoring.OnnxModel;
import java.nio.file.Path;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/** Scores each transaction with the ONNX model of the bundle and stamps model version and provider. */
public final class OnnxScorer extends RichMapFunction<EnrichedTransaction, EnrichedTransaction> {

  private final String bundleDirectory;
  private final ExecutionProviderChoice executionProvider;
  private transient OnnxModel model;
  private transient Counter scored;

  public OnnxScorer(String bundleDirectory, ExecutionProviderChoice executionProvider) {
    this.bundleDirectory = bundleDirectory;
    this.executionProvider = executionProvider;
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    model = OnnxModel.load(ModelBundle.load(Path.of(bundleDirectory)), executionProvider);
    var metrics = getRuntimeContext().getMetricGroup().addGroup("model");
    metrics.gauge("version", model::version);
    metrics.gauge("executionProvider", model::executionProvider);
    scored = metrics.counter("scored");
  }

  @Override
  public EnrichedTransaction map(EnrichedTransaction tx) throws Exception {
    tx.score = model.score(tx.features);
    tx.modelVersion = model.version();
    tx.executionProvider = model.executionProvider();
    scored.inc();
    return tx;
  }

  @Override
  public void close() throws Exception {
    if (model != null) {
      model.close();
    }
  }
}
