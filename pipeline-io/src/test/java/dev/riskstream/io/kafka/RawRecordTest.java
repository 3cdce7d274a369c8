package dev.riskstream.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawRecordTest {

  @Test
  void previewsBinaryPayloadsAsEscapedText() {
    assertThat(record(new byte[] {(byte) 0xC3, 0x01, 'a', '\\'}).payloadPreview()).isEqualTo("\\xc3\\x01a\\x5c");
    assertThat(record(new byte[1000]).payloadPreview()).hasSize(4 * RawRecord.PREVIEW_BYTES);
  }

  @Test
  void aTombstoneHasAnEmptyPayload() {
    assertThat(record(null).payloadPreview()).isEmpty();
    assertThat(record(null).payloadSize()).isZero();
    assertThat(record(new byte[7]).payloadSize()).isEqualTo(7);
  }

  private static RawRecord record(byte[] value) {
    return new RawRecord("transactions", 0, 42, 0, value);
  }
}
