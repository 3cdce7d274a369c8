package dev.riskstream.job.operators;

import dev.riskstream.job.ControlRecord;
import dev.riskstream.job.EnrichedTransaction;
import dev.riskstream.job.ParsedTransaction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The head of the deciding task in a job that takes control topics (model updates, rule sets):
 * {@link CardFeatureEnricher} on the card-keyed transactions, and every control record, broadcast to
 * each subtask, handed on in line with them to the operators further down the chain
 * ({@link ControlRecord}). Watermarks are the transactions' alone: a control topic's source is idle
 * for good ({@code RiskstreamJob.noEventTime}), so this operator is idle when the transactions are.
 */
public final class CardFeaturesWithControls extends KeyedProcessOperator<String, ParsedTransaction, EnrichedTransaction>
    implements TwoInputStreamOperator<ParsedTransaction, ControlRecord, EnrichedTransaction> {

  public CardFeaturesWithControls(CardFeatureEnricher enricher) {
    super(enricher);
  }

  @Override
  public void processElement1(StreamRecord<ParsedTransaction> element) throws Exception {
    processElement(element);
  }

  @Override
  public void processElement2(StreamRecord<ControlRecord> element) {
    output.collect(new StreamRecord<>(EnrichedTransaction.carrying(element.getValue())));
  }
}
