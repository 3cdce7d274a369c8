package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.io.settings.SecretReference;
import dev.riskstream.job.InputOptions;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CardEncryptionOptionTest {

  @ParameterizedTest
  @ValueSource(strings = {"demo", "cluster"})
  void bothCommandsThatRunTheSimulatorWithTheJobTakeEncryptCards(String command) {
    assertThat(encryptCards(command, "--encrypt-cards")).isTrue();
    assertThat(encryptCards(command)).isFalse();
  }

  /** The job reads the key file its setting names and opens what the simulator sealed; the file goes with the run. */
  @Test
  void theJobsKeyFileOpensTheSimulatorsEnvelopesAndIsOwnerOnlyAndDeletedAtTheEnd() throws Exception {
    Transaction clear = TransactionSimulator.builder().seed(3).start(Instant.EPOCH).build().next().transaction();
    Path file;
    try (CardEncryptionOption.RunCardKey key = CardEncryptionOption.RunCardKey.create()) {
      file = SecretReference.parse("test", key.jobSettings().get(InputOptions.CARD_KEYS.key())).file().orElseThrow();
      assertThat(file).isAbsolute();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

      Transaction sealed = key.sealing().seal(clear);
      assertThat(new CardEncryption(CardKeys.load(file)).decrypt(sealed.getEncryptedCard(), sealed.getTransactionId()))
          .isEqualTo(clear.getCardNumber());
    }
    assertThat(file).doesNotExist();
  }

  private static boolean encryptCards(String... arguments) {
    Object command = new CommandLine(new RiskstreamCli()).parseArgs(arguments).subcommand().commandSpec().userObject();
    CardEncryptionOption option = command instanceof ClusterCommand cluster ? cluster.cardEncryption
        : ((DemoCommand) command).cardEncryption;
    return option.encryptCards;
  }
}
