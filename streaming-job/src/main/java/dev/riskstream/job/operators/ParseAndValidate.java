package dev.riskstream.job.operators;

import dev.riskstream.features.currency.CurrencyRates;
import dev.riskstream.features.privacy.CardTokenizer;
import dev.riskstream.features.privacy.Redactor;
import dev.riskstream.features.validation.TransactionValidator;
import dev.riskstream.features.validation.Violation;
import dev.riskstream.job.PipelineState;
import dev.riskstream.job.io.RawRecord;
import dev.riskstream.schemas.DeadLetter;
import dev.riskstream.schemas.DeadLetterReason;
import dev.riskstream.schemas.Transaction;
import dev.riskstream.schemas.codec.AvroCodec;
import dev.riskstream.schemas.codec.DecodeException;
import java.time.Instant;
import java.util.Optional;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes, validates and tokenizes each record. Whatever cannot be scored becomes a dead letter with
 * a reason: one bad record never fails the job. The PAN leaves this operator only as a token.
 */
public final class ParseAndValidate extends ProcessFunction<RawRecord, Transaction> {

  static final int PREVIEW_BYTES = 256;

  private final byte[] tokenKey;
  private transient AvroCodec<Transaction> codec;
  private transient TransactionValidator validator;
  private transient CardTokenizer tokenizer;
  private transient Counter deadLetters;

  public ParseAndValidate(byte[] tokenKey) {
    this.tokenKey = tokenKey.clone();
  }

  @Override
  public void open(OpenContext openContext) {
    codec = AvroCodec.of(Transaction.class);
    validator = new TransactionValidator(CurrencyRates.bundled());
    tokenizer = new CardTokenizer(tokenKey);
    deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
  }

  @Override
  public void processElement(RawRecord raw, Context ctx, Collector<Transaction> out) {
    Transaction tx;
    try {
      tx = codec.decode(raw.value);
    } catch (DecodeException e) {
      deadLetter(raw, e.reason(), e.getMessage(), ctx);
      return;
    }
    Optional<Violation> violation = validator.validate(tx);
    if (violation.isPresent()) {
      deadLetter(raw, violation.get().reason(), violation.get().message(), ctx);
      return;
    }
    tx.setCardNumber(tokenizer.token(tx.getCardNumber()));
    out.collect(tx);
  }

  private void deadLetter(RawRecord raw, DeadLetterReason reason, String message, Context ctx) {
    deadLetters.inc();
    int size = raw.value == null ? 0 : raw.value.length;
    ctx.output(PipelineState.DEAD_LETTERS, DeadLetter.newBuilder()
        .setSourceTopic(raw.topic)
        .setPartition(raw.partition)
        .setOffset(raw.offset)
        .setReason(reason)
        .setErrorMessage(Redactor.redact(message))
        .setPayloadPreview(Redactor.redact(preview(raw.value)))
        .setPayloadSize(size)
        .setReceivedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
        .build());
  }

  /** Printable ASCII as is, anything else as {@code \xNN}, so any payload previews safely. */
  static String preview(byte[] value) {
    if (value == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(value.length, PREVIEW_BYTES); i++) {
      int b = value[i] & 0xFF;
      if (b >= 0x20 && b < 0x7F && b != '\\') {
        text.append((char) b);
      } else {
        text.append(String.format("\\x%02x", b));
      }
    }
    return text.toString();
  }
}
