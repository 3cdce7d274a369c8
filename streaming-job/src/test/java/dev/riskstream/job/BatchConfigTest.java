package dev.riskstream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.riskstream.io.settings.SecretReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchConfigTest {

  private static final Map<String, String> KEY_IN_ENV = Map.of(InputOptions.TOKEN_KEY_ENV, "test-token-key-0123456789");

  @Test
  void batchKeysAreItsOwnAndEveryOtherKeyIsTheStreamingJobs() throws Exception {
    BatchConfig config = BatchConfig.fromArgs(new String[] {
        "--batch.output", "/tmp/out", "--batch.kafka.stopping-offsets", "0:10",
        "--batch.jdbc.url", "jdbc:postgresql://db/scores", "--batch.jdbc.table", "app.scores",
        "--topic.transactions", "payments"}, KEY_IN_ENV);

    assertThat(config.input()).isEmpty();
    assertThat(config.startingOffsets()).isEqualTo("earliest");
    assertThat(config.stoppingOffsets()).isEqualTo("0:10");
    assertThat(config.job().transactionsTopic()).isEqualTo("payments");
    assertThat(config.table()).hasValueSatisfying(table -> {
      assertThat(table.table()).isEqualTo("app.scores");
      assertThat(table.password()).isEqualTo(SecretReference.env(BatchConfig.JDBC_PASSWORD_ENV));
      assertThat(table.batchSize()).isEqualTo(500);
    });
  }

  @Test
  void refusesUnknownBatchKeysAndAMissingOutput() {
    assertThatThrownBy(() -> BatchConfig.fromMap(Map.of("batch.outptu", "/tmp/out"),
        Map.of())).hasMessageContaining("unknown settings [batch.outptu]");
    assertThatThrownBy(() -> BatchConfig.fromMap(Map.of(), KEY_IN_ENV))
        .hasMessageContaining("--batch.output");
    assertThatThrownBy(() -> BatchConfig.fromMap(Map.of("batch.output", "/tmp/out", "pii.tokenkey", "env:X"),
        Map.of())).hasMessageContaining("unknown settings [pii.tokenkey]");
  }

  @Test
  void describesEveryBatchKey() {
    String help = BatchConfig.describe();
    BatchConfig.GROUP.options().forEach(option -> assertThat(help).contains("--" + option.key()));
  }
}
