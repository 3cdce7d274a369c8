package dev.riskstream.local.flink;

import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;

/**
 * Flink's Prometheus reporter ({@code metrics.reporter.prom}), as the deployed images configure it:
 * every JobManager and TaskManager process serves its metrics at {@code /metrics}.
 */
public final class PrometheusReporter {

  private PrometheusReporter() {}

  /**
   * @param ports one port, or a range such as {@code 9249-9252} from which each process of a
   *     cluster takes the first one free
   */
  public static void enable(Configuration flink, String ports) {
    flink.set(ConfigOptions.key("metrics.reporter.prom.factory.class").stringType().noDefaultValue(),
        PrometheusReporterFactory.class.getName());
    flink.set(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(), ports);
  }
}
