package dev.riskstream.local.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded broker on a free port for the tests of one class, registered on a static field with
 * {@code @RegisterExtension}: started before the class's first test, closed after its last.
 */
public final class TemporaryBroker implements BeforeAllCallback, AfterAllCallback {

  private EmbeddedKafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = EmbeddedKafkaBroker.startTemporary(0);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    broker.close();
  }

  public EmbeddedKafkaBroker broker() {
    return broker;
  }
}
