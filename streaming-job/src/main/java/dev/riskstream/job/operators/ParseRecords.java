package dev.riskstream.job.operators;

import dev.riskstream.io.kafka.RawRecord;
import dev.riskstream.job.ParseResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * {@link ParseAndValidate} over records from anything but the Kafka source, whose deserializer parses
 * them itself: files of transactions for batch scoring, collections in tests.
 */
public final class ParseRecords extends RichMapFunction<RawRecord, ParseResult> {

  private final ParseAndValidate parser;

  public ParseRecords(ParseAndValidate parser) {
    this.parser = parser;
  }

  @Override
  public void open(OpenContext openContext) {
    parser.open();
  }

  @Override
  public ParseResult map(RawRecord raw) {
    return parser.parse(raw, System.currentTimeMillis());
  }
}
