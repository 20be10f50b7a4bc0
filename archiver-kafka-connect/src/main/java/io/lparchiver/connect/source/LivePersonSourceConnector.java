package io.lparchiver.connect.source;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.connect.ConnectorSettings;
import io.lparchiver.connect.Versions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ConnectorTransactionBoundaries;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Reads closed LivePerson conversations into a topic, one record per conversation version. The work
 * is split by channel and by month-long slices of conversation start time (see {@link Slice}); each
 * slice's checkpoint is its source offset, so a restarted or moved task resumes. Takes every
 * lp-archiver key (only source.liveperson.* are used) plus {@value #TOPIC}.
 */
public final class LivePersonSourceConnector extends SourceConnector {

  /** Where the records go. */
  public static final String TOPIC = "topic";

  static final String DEFAULT_TOPIC = "lp-archiver.conversations";

  /** Where a slice's checkpoint goes when a finished window produced no record to carry it. */
  public static final String CHECKPOINT_TOPIC = "checkpoint.topic";

  static final String DEFAULT_CHECKPOINT_TOPIC = "lp-archiver.checkpoints";

  /** Set by the connector in each task's configuration: the slices it reads. */
  static final String TASK_SLICES = "lp.task.slices";

  static final ConfigDef CONFIG_DEF =
      ConnectorSettings.configDef(
          new ConfigDef()
              .define(
                  TOPIC,
                  ConfigDef.Type.STRING,
                  DEFAULT_TOPIC,
                  ConfigDef.Importance.HIGH,
                  "Topic that receives one record per conversation version: key"
                      + " {account}:{conversationId}, value the raw LivePerson record (use the"
                      + " ByteArrayConverter), lp.* headers.")
              .define(
                  CHECKPOINT_TOPIC,
                  ConfigDef.Type.STRING,
                  DEFAULT_CHECKPOINT_TOPIC,
                  ConfigDef.Importance.MEDIUM,
                  "Small topic (one partition, compacted) that receives a slice's checkpoint"
                      + " when a window it finished held no conversation: Connect stores source"
                      + " offsets only with records, and without it a restarted task would ask"
                      + " LivePerson for those windows again. Key: the slice"
                      + " ({account}/{channel}/{start}); value: the checkpoint as JSON."));

  private final Clock clock;
  private Map<String, String> props = Map.of();
  private ArchiverConfig config;

  public LivePersonSourceConnector() {
    this(Clock.systemUTC());
  }

  LivePersonSourceConnector(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void start(Map<String, String> props) {
    try {
      this.config = ConnectorSettings.parse(props, clock);
    } catch (ConfigException e) {
      throw new ConnectException("lp-archiver source connector: " + e.getMessage(), e);
    }
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return LivePersonSourceTask.class;
  }

  /** Spreads the slices round-robin, so each task gets old and new months alike. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    ArchiverConfig.LivePerson lp = config.source().liveperson();
    List<Slice> slices =
        Slice.plan(lp.account(), lp.channels(), lp.backfillFrom(), clock.instant());
    int tasks = Math.max(1, Math.min(maxTasks, slices.size()));
    List<List<String>> assigned = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      assigned.add(new ArrayList<>());
    }
    for (int i = 0; i < slices.size(); i++) {
      assigned.get(i % tasks).add(slices.get(i).encode());
    }
    List<Map<String, String>> configs = new ArrayList<>();
    for (List<String> own : assigned) {
      Map<String, String> task = new HashMap<>(props);
      task.put(TASK_SLICES, String.join(";", own));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public void stop() {
    // no resources: the tasks hold the LivePerson connections
  }

  @Override
  public ConfigDef config() {
    return CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return new Config(ConnectorSettings.validate(CONFIG_DEF, connectorConfigs));
  }

  /**
   * Exactly-once capable (KIP-618): each poll batch and the offsets it carries are written in one
   * transaction when the worker enables exactly-once source support.
   */
  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  /** The worker's per-poll transactions suit us: offsets only move at window ends. */
  @Override
  public ConnectorTransactionBoundaries canDefineTransactionBoundaries(
      Map<String, String> connectorConfig) {
    return ConnectorTransactionBoundaries.UNSUPPORTED;
  }

  @Override
  public String version() {
    return Versions.plugin();
  }
}
