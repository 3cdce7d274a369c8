package dev.riskstream.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.riskstream.features.privacy.CardEncryption;
import dev.riskstream.features.privacy.CardKeys;
import dev.riskstream.local.simulator.TransactionSimulator;
import dev.riskstream.schemas.Transaction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SimulatorFeedTest {

  /** What `demo --encrypt-cards` sends: no clear PAN, an envelope the job's key opens for this transaction only. */
  @Test
  void sealingReplacesThePanByAnEnvelopeBoundToTheTransaction() throws Exception {
    CardEncryption encryption = new CardEncryption(CardKeys.parse(CardKeys.generateLine("demo-1"), "test"));
    Transaction clear = TransactionSimulator.builder().seed(7).start(Instant.EPOCH).build().next().transaction();

    Transaction sealed = new SimulatorFeed.CardSealing(encryption, "demo-1").seal(clear);

    assertThat(sealed.getCardNumber()).isNull();
    assertThat(sealed.getEncryptedCard().getKeyId()).isEqualTo("demo-1");
    assertThat(encryption.decrypt(sealed.getEncryptedCard(), sealed.getTransactionId())).isEqualTo(clear.getCardNumber());
    assertThat(Transaction.newBuilder(sealed).setEncryptedCard(null).setCardNumber(clear.getCardNumber()).build())
        .as("every other field as simulated").isEqualTo(clear);
  }
}
