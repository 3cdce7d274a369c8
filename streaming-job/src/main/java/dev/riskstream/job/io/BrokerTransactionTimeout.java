package dev.riskstream.job.io;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, when the job is built, that the exactly-once sinks' {@code transaction.timeout.ms} is
 * within every broker's {@code transaction.max.timeout.ms}. Without the check the job is submitted,
 * and each sink's producer fails at its first {@code initTransactions} with
 * {@code InvalidTxnTimeoutException}, after which the restart strategy retries forever.
 *
 * <p>Reading broker configuration needs the {@code DescribeConfigs} right on the cluster. A
 * principal without it cannot be checked here: the check is then skipped with a warning, and the
 * broker's own {@code InvalidTxnTimeoutException} at the first producer start says what is wrong.
 */
public final class BrokerTransactionTimeout {

  public static final String BROKER_MAXIMUM = "transaction.max.timeout.ms";

  private static final Logger LOG = LoggerFactory.getLogger(BrokerTransactionTimeout.class);

  private BrokerTransactionTimeout() {}

  /**
   * @param adminSettings Kafka client settings (at least {@code bootstrap.servers}) to reach the
   *     brokers the sinks write to
   * @param setting the name of the job setting that holds {@code timeout}, for the message
   * @param wait how long to wait for the brokers' answer
   * @throws IllegalArgumentException when {@code timeout} exceeds a broker's maximum
   * @throws IllegalStateException when the brokers cannot be reached within {@code wait}
   */
  public static void check(Properties adminSettings, Duration timeout, String setting, Duration wait) {
    Duration maximum;
    try (Admin admin = Admin.create(adminSettings)) {
      maximum = smallestBrokerMaximum(admin, wait);
    } catch (AuthorizationException e) {
      LOG.warn("Cannot read {} from the brokers ({}); {} ({}) is not checked against it. If it is larger, "
          + "the sinks fail at start with InvalidTxnTimeoutException.", BROKER_MAXIMUM, e.getMessage(), setting,
          timeout);
      return;
    }
    if (timeout.compareTo(maximum) > 0) {
      throw new IllegalArgumentException(setting + " (" + timeout + ") exceeds the brokers' " + BROKER_MAXIMUM
          + " (" + maximum + "): the exactly-once sinks could not start. Lower " + setting
          + " (it must still exceed checkpoint.interval) or raise " + BROKER_MAXIMUM + " on the brokers.");
    }
  }

  private static Duration smallestBrokerMaximum(Admin admin, Duration wait) {
    try {
      Collection<Node> brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs(wait)))
          .nodes().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      List<ConfigResource> resources = brokers.stream()
          .map(node -> new ConfigResource(ConfigResource.Type.BROKER, node.idString()))
          .toList();
      Map<ConfigResource, Config> configs = admin
          .describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(timeoutMs(wait)))
          .all().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return configs.values().stream()
          .map(config -> config.get(BROKER_MAXIMUM))
          .map(ConfigEntry::value)
          .map(value -> Duration.ofMillis(Long.parseLong(value)))
          .min(Duration::compareTo)
          .orElseThrow(() -> new IllegalStateException("the cluster reported no brokers"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof AuthorizationException denied) {
        throw denied;
      }
      throw new IllegalStateException("cannot read " + BROKER_MAXIMUM + " from the brokers", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no Kafka broker answered within " + wait + " when asked for "
          + BROKER_MAXIMUM, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + BROKER_MAXIMUM, e);
    }
  }

  private static int timeoutMs(Duration wait) {
    return (int) Math.min(Integer.MAX_VALUE, wait.toMillis());
  }
}
