package dev.riskstream.job;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.riskstream.io.settings.OptionGroup;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/** Settings of the area "Rules": the rule set the job decides with beside the model, and where new ones arrive. */
public final class RuleOptions {

  public static final ConfigOption<String> FILE =
      key("rules.file").stringType().noDefaultValue()
          .withDescription("A rule set's YAML file (docs/rules.md), read when the job is submitted: the job decides "
              + "with it from the start, until a set is published on topic.rule-sets. A set that does not compile "
              + "fails the submission. Unset: the model alone decides until a set is published.");
  public static final ConfigOption<Boolean> UPDATES =
      key("rules.updates").booleanType().defaultValue(false)
          .withDescription("Decide with the rule set last published on topic.rule-sets, switching while the job "
              + "runs, and report what was done with each publication on topic.rule-status.");

  public static final OptionGroup GROUP = new OptionGroup("Rules",
      "Rules beside the model: the rule set the job starts with, and whether it takes new ones while it runs.",
      List.of(FILE, UPDATES), List.of(FILE));

  private RuleOptions() {}
}
