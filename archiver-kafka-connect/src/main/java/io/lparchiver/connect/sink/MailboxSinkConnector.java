package io.lparchiver.connect.sink;

import io.lparchiver.config.ConfigException;
import io.lparchiver.connect.ConnectorSettings;
import io.lparchiver.connect.Versions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Renders, maps and delivers each conversation record of its topics to the configured target
 * (target.*), with the ledger in one state database per topic partition under state.dir (ADR 0004).
 * Takes every lp-archiver key; source.liveperson.* are needed for the Users API (mapping).
 * Permanent failures go to Connect's dead-letter queue: set {@code errors.tolerance=all} and {@code
 * errors.deadletterqueue.topic.name}, or the task stops at the first one.
 */
public final class MailboxSinkConnector extends SinkConnector {

  static final ConfigDef CONFIG_DEF = ConnectorSettings.configDef(new ConfigDef());

  private Map<String, String> props = Map.of();

  @Override
  public void start(Map<String, String> props) {
    try {
      ConnectorSettings.parse(props, Clock.systemUTC());
    } catch (ConfigException e) {
      throw new ConnectException("lp-archiver sink connector: " + e.getMessage(), e);
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return MailboxSinkTask.class;
  }

  /** Every task gets the same configuration; Kafka spreads the partitions among them. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {
    // no resources: the tasks hold the target connections and state databases
  }

  @Override
  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    if (config.configValues().stream().anyMatch(v -> !v.errorMessages().isEmpty())) {
      return config;
    }
    return new Config(ConnectorSettings.validate(CONFIG_DEF, connectorConfigs));
  }

  @Override
  public String version() {
    return Versions.plugin();
  }
}
