package dev.riskstream.job;

import dev.riskstream.rules.TransactionFacts;
import dev.riskstream.schemas.LookupStatus;
import dev.riskstream.schemas.Transaction;

/**
 * A transaction on its way through the pipeline: the tokenized transaction (its {@code cardNumber}
 * holds the card token), then its features, then its score, and the score of a model in shadow when
 * one is being tried. A Flink POJO.
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

  public EnrichedTransaction() {}

  public EnrichedTransaction(Transaction transaction, float[] features) {
    this.transaction = transaction;
    this.features = features;
  }

  /** What rules know of this transaction once it is scored. */
  public TransactionFacts ruleFacts() {
    return new TransactionFacts(transaction, features, lookupStatus, score, modelVersion);
  }
}
