package dev.riskstream.job;

import dev.riskstream.rules.TransactionFacts;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;

/**
 * A transaction on its way through the pipeline: the tokenized transaction (its {@code cardNumber}
 * holds the card token), then its features, then its score, and the score of a model in shadow when
 * one is being tried. On the decision path it may instead carry a control record to the operator it
 * is for ({@link #carrying}); that operator takes it out of the stream or hands it on, so nothing
 * after the deciding operator sees one. A Flink POJO.
 */
public class EnrichedTransaction {

  public Transaction transaction;
  /** Wall-clock time, epoch milliseconds, at which the job read the transaction from its input. */
  public long receivedAt;
  /** In {@link dev.riskstream.features.spec.FeatureSpec#CURRENT} order. */
  public float[] features;
  public LookupStatus lookupStatus = LookupStatus.NOT_CONFIGURED;
  public double score;
  public String modelVersion;
  /** Thresholds of the model that scored this transaction: each version brings its own. */
  public double reviewThreshold;
  public double declineThreshold;
  public String executionProvider;
  /** The version scoring in shadow, beside the one that decides; null when none does. */
  public String shadowVersion;
  public double shadowScore;
  public double shadowReviewThreshold;
  public double shadowDeclineThreshold;
  /** Set only on an element that carries a control record instead of a transaction, which then has none. */
  public ControlRecord control;

  public EnrichedTransaction() {}

  /** An element of the decision path that carries {@code control} to the operator it is for. */
  public static EnrichedTransaction carrying(ControlRecord control) {
    EnrichedTransaction element = new EnrichedTransaction();
    element.control = control;
    return element;
  }

  public EnrichedTransaction(Transaction transaction, float[] features) {
    this.transaction = transaction;
    this.features = features;
  }

  /** What rules know of this transaction once it is scored. */
  public TransactionFacts ruleFacts() {
    return new TransactionFacts(transaction, features, lookupStatus, score, modelVersion);
  }
}
