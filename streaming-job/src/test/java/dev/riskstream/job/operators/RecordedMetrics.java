package dev.riskstream.job.operators;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;

/**
 * Every metric an operator under a test harness registers, named as Flink's Prometheus reporter
 * names it: {@code flink_} and the logical scope joined by {@code _}, the metric's name last, with
 * the values of key-value metric groups as labels. So harness tests state the names the Grafana
 * dashboard queries.
 */
final class RecordedMetrics {

  /** One registered metric, by its Prometheus name and its key-value groups' labels. */
  record Registered(String name, Map<String, String> labels, Metric metric) {}

  private final List<Registered> registered = new CopyOnWriteArrayList<>();
  private final TaskManagerMetricGroup taskManager = TaskManagerMetricGroup.createTaskManagerMetricGroup(
      TestingMetricRegistry.builder().setDelimiter('.').setRegisterConsumer((metric, name, group) -> {
        Map<String, String> labels = new HashMap<>();
        group.getAllVariables().forEach((variable, value) -> labels.put(variable.substring(1, variable.length() - 1), value));
        registered.add(new Registered("flink_" + group.getLogicalScope(input -> input, '_') + "_" + name,
            labels, metric));
      }).build(), "localhost", ResourceID.generate());

  /** A task environment whose operators register their metrics here. */
  MockEnvironment environment() {
    return new MockEnvironmentBuilder()
        .setMetricGroup(taskManager.addJob(new JobID(), "job").addTask(ExecutionAttemptID.randomId(), "task"))
        .build();
  }

  /** The value of the one gauge called {@code name} whose labels include {@code labels}. */
  Object gauge(String name, Map<String, String> labels) {
    List<Registered> matching = gauges(name).stream()
        .filter(metric -> metric.labels().entrySet().containsAll(labels.entrySet())).toList();
    if (matching.size() != 1) {
      throw new AssertionError(matching.size() + " gauges " + name + " with " + labels + " among the operator's "
          + registered.stream().map(Registered::name).filter(known -> known.contains("_operator_")).toList());
    }
    return ((Gauge<?>) matching.get(0).metric()).getValue();
  }

  /** The one counter called {@code name} whose labels include {@code labels}. */
  Counter counter(String name, Map<String, String> labels) {
    List<Registered> matching = registered.stream()
        .filter(metric -> metric.name().equals(name) && metric.metric() instanceof Counter)
        .filter(metric -> metric.labels().entrySet().containsAll(labels.entrySet())).toList();
    if (matching.size() != 1) {
      throw new AssertionError(matching.size() + " counters " + name + " with " + labels);
    }
    return (Counter) matching.get(0).metric();
  }

  /** The one histogram called {@code name}. */
  Histogram histogram(String name) {
    List<Registered> matching = registered.stream()
        .filter(metric -> metric.name().equals(name) && metric.metric() instanceof Histogram).toList();
    if (matching.size() != 1) {
      throw new AssertionError(matching.size() + " histograms " + name);
    }
    return (Histogram) matching.get(0).metric();
  }

  /** Every gauge called {@code name}. */
  List<Registered> gauges(String name) {
    return registered.stream().filter(metric -> metric.name().equals(name) && metric.metric() instanceof Gauge).toList();
  }
}
