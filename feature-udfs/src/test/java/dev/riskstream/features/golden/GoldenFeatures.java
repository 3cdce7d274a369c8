package dev.riskstream.features.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.riskstream.features.spec.FeatureSpec;
import dev.riskstream.schemas.Channel;
import dev.riskstream.schemas.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fixed sequence of transactions ({@code golden/events.json}) and the feature vectors they must
 * get ({@code golden/expected-features.json}), by feature name. Serving, training and the feature
 * functions themselves are all checked against the same file, so none of them can drift alone.
 *
 * <p>When a feature changes on purpose, run the build with {@code -Dgolden.update=true}: the
 * feature-udfs test rewrites the expected file from the feature functions (review its diff), and
 * the serving and training tests then check against the new file in the same build.
 */
public final class GoldenFeatures {

  public static final double TOLERANCE = 1e-6;
  public static final String UPDATE_PROPERTY = "golden.update";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVENTS = "/golden/events.json";
  private static final String EXPECTED = "/golden/expected-features.json";
  /** Where the expected file lives in the source tree, from the feature-udfs module directory. */
  static final Path EXPECTED_SOURCE = Path.of("src", "test", "resources", "golden", "expected-features.json");

  private GoldenFeatures() {}

  public static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY);
  }

  /** The golden transactions, in arrival order. */
  public static List<Transaction> transactions() {
    List<Transaction> transactions = new ArrayList<>();
    for (JsonNode node : read(EVENTS).get("transactions")) {
      transactions.add(Transaction.newBuilder()
          .setTransactionId(node.get("transactionId").asText())
          .setCardNumber(node.get("cardNumber").asText())
          .setCustomerId(node.get("customerId").asText())
          .setMerchantId(node.get("merchantId").asText())
          .setMerchantCategory(node.get("merchantCategory").asText())
          .setMerchantName(node.get("merchantName").asText())
          .setAmountMinor(node.get("amountMinor").asLong())
          .setCurrency(node.get("currency").asText())
          .setCountry(node.get("country").asText())
          .setChannel(Channel.valueOf(node.get("channel").asText()))
          .setEventTime(Instant.parse(node.get("eventTime").asText()))
          .setDeviceId(node.has("deviceId") ? node.get("deviceId").asText() : null)
          .build());
    }
    return transactions;
  }

  /**
   * Fails, listing every difference, unless {@code actual} (vectors in {@link FeatureSpec#CURRENT}
   * order, by transaction id) has exactly the expected transactions and features, each within
   * {@value #TOLERANCE}.
   */
  public static void assertMatches(Map<String, float[]> actual) {
    JsonNode expected = read(EXPECTED);
    List<String> names = FeatureSpec.CURRENT.names();
    List<String> expectedIds = new ArrayList<>();
    expected.fieldNames().forEachRemaining(expectedIds::add);
    assertThat(actual.keySet()).as("transactions with features").containsExactlyInAnyOrderElementsOf(expectedIds);

    List<String> differences = new ArrayList<>();
    for (String id : expectedIds) {
      JsonNode vector = expected.get(id);
      List<String> expectedNames = new ArrayList<>();
      vector.fieldNames().forEachRemaining(expectedNames::add);
      if (!expectedNames.equals(names)) {
        differences.add(id + ": features " + expectedNames + " in the golden file but " + names + " in the spec");
        continue;
      }
      float[] values = actual.get(id);
      for (int i = 0; i < names.size(); i++) {
        double want = vector.get(names.get(i)).asDouble();
        if (!(Math.abs(values[i] - want) <= TOLERANCE)) {
          differences.add(id + " " + names.get(i) + ": expected " + want + " but was " + values[i]);
        }
      }
    }
    assertThat(differences)
        .as("features differ from %s (if the change is intended: mvn -B install -D%s=true)", EXPECTED, UPDATE_PROPERTY)
        .isEmpty();
  }

  /**
   * Rewrites the expected file in the source tree and on the test classpath (which the test-jar
   * that serving and training read is packaged from later in the same build); {@code actual} in
   * the order the file should list.
   */
  static void write(Map<String, float[]> actual) throws IOException, URISyntaxException {
    List<String> names = FeatureSpec.CURRENT.names();
    ObjectNode root = JSON.createObjectNode();
    actual.forEach((id, values) -> {
      ObjectNode vector = root.putObject(id);
      for (int i = 0; i < names.size(); i++) {
        vector.put(names.get(i), values[i]);
      }
    });
    String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    Files.writeString(EXPECTED_SOURCE, text);
    Files.writeString(Path.of(GoldenFeatures.class.getResource(EXPECTED).toURI()), text);
  }

  private static JsonNode read(String resource) {
    try (InputStream in = GoldenFeatures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
