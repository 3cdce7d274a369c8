package dev.riskstream.job;

import dev.riskstream.schemas.DeadLetter;

/**
 * What parsing made of one transactions record: the valid transaction, or the dead letter that says
 * why there is none. Parsing happens in the source, before event time is taken, so that a record
 * which cannot be read, or whose event time is out of range, never moves the watermark. A Flink POJO.
 */
public class ParseResult {

  /** Null when rejected. */
  public ParsedTransaction valid;
  /** Null when valid. */
  public DeadLetter rejected;

  public ParseResult() {}

  public static ParseResult valid(ParsedTransaction transaction) {
    ParseResult result = new ParseResult();
    result.valid = transaction;
    return result;
  }

  public static ParseResult rejected(DeadLetter letter) {
    ParseResult result = new ParseResult();
    result.rejected = letter;
    return result;
  }
}
