package dev.riskstream.io.settings;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

/**
 * The settings of one area (Kafka, scoring, the lookup...), declared beside what they configure, with
 * a title and a sentence for the configuration page and {@code --help}.
 *
 * @param optional settings without a default that may stay unset; every other setting without a
 *     default is required
 */
public record OptionGroup(String title, String summary, List<ConfigOption<?>> options,
    List<ConfigOption<?>> optional) {

  public OptionGroup {
    options = List.copyOf(options);
    optional = List.copyOf(optional);
    if (!options.containsAll(optional)) {
      throw new IllegalArgumentException(title + ": an optional setting must be one of the group's");
    }
  }

  /** Every setting of {@code groups}, in order. */
  public static List<ConfigOption<?>> optionsOf(Collection<OptionGroup> groups) {
    return groups.stream().flatMap(group -> group.options().stream()).toList();
  }

  /** One entry per setting: {@code --key}, default and description, under each group's title; for {@code --help}. */
  public static String describe(Collection<OptionGroup> groups) {
    HtmlFormatter formatter = new HtmlFormatter();
    return groups.stream()
        .map(group -> group.title() + ":\n" + group.options().stream()
            .map(o -> String.format("  --%s %s%n      %s", displayKey(o), group.presence(o),
                formatter.format(o.description())))
            .collect(Collectors.joining("\n")))
        .collect(Collectors.joining("\n"));
  }

  /**
   * A Markdown section per group: its title, its sentence and a table of its settings (key, default,
   * description), as the configuration page shows them.
   */
  public static String markdown(Collection<OptionGroup> groups) {
    HtmlFormatter formatter = new HtmlFormatter();
    return groups.stream()
        .map(group -> "### " + group.title() + "\n\n" + group.summary() + "\n\n| setting | default | meaning |\n"
            + "| --- | --- | --- |\n" + group.options().stream()
                .map(o -> "| `" + displayKey(o) + "` | " + group.cell(o) + " | "
                    + formatter.format(o.description()).replace("|", "\\|").replace("\n", " ") + " |")
                .collect(Collectors.joining("\n")) + "\n")
        .collect(Collectors.joining("\n"));
  }

  /** The default, or whether the setting may stay unset. */
  private String presence(ConfigOption<?> option) {
    if (option.hasDefaultValue()) {
      return "(default " + shown(option.defaultValue()) + ")";
    }
    return optional.contains(option) ? "(optional)" : "(required)";
  }

  /** The default as a table cell, or whether the setting may stay unset. */
  private String cell(ConfigOption<?> option) {
    if (option.hasDefaultValue()) {
      return "`" + shown(option.defaultValue()) + "`";
    }
    return optional.contains(option) ? "unset" : "**required**";
  }

  /** A value as it is written in a setting: durations as {@code 10 s}, lists separated by {@code ;}. */
  private static String shown(Object value) {
    if (value instanceof Duration duration) {
      return TimeUtils.formatWithHighestUnit(duration);
    }
    if (value instanceof Collection<?> values) {
      return values.stream().map(OptionGroup::shown).collect(Collectors.joining(";"));
    }
    return String.valueOf(value);
  }

  /** An open-ended family such as {@code kafka.client.<property>} shows the form of its keys. */
  private static String displayKey(ConfigOption<?> option) {
    return option == KafkaOptions.CLIENT ? option.key() + ".<property>" : option.key();
  }
}
