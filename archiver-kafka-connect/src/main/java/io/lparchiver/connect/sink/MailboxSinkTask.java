package io.lparchiver.connect.sink;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.connect.ConnectorSettings;
import io.lparchiver.connect.RecordFormat;
import io.lparchiver.connect.Versions;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.graph.GraphSink;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.pipeline.DeliveryRetry;
import io.lparchiver.pipeline.OpenSnapshots;
import io.lparchiver.pipeline.RecordArchiver;
import io.lparchiver.pipeline.TargetFailingException;
import io.lparchiver.render.EmailRenderer;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.SourceException;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.ChatRecordParser;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.source.liveperson.MessagingRecordParser;
import io.lparchiver.state.StateStore;
import io.lparchiver.state.StateStoreException;
import io.lparchiver.wiring.Stages;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives each record as a sync would: parse the raw bytes, version, map, render, find the copy on
 * the target by Message-ID or deliver it, then the ledger row. put() returns only when every record
 * of the batch is delivered or dead-lettered, so the offsets Connect commits afterwards never pass
 * an undelivered record; a redelivered record finds its copies and writes nothing.
 */
public final class MailboxSinkTask extends SinkTask {

  private static final Logger log = LoggerFactory.getLogger(MailboxSinkTask.class);

  /** Wait before Connect hands a batch back after the target failed as a whole. */
  private static final long TARGET_BACKOFF_MS = 10_000;

  private final Clock clock;
  private final Map<TopicPartition, Ledger> ledgers = new HashMap<>();
  private ArchiverConfig config;
  private MailboxSink sink;
  private ParticipantMapper mapper;
  private EmailRenderer renderer;
  private MessagingRecordParser messaging;
  private ChatRecordParser chat;
  private ErrantRecordReporter reporter;
  private Optional<FileFetcher> files = Optional.empty();

  public MailboxSinkTask() {
    this(Clock.systemUTC());
  }

  MailboxSinkTask(Clock clock) {
    this.clock = clock;
  }

  /** A partition's open state and the archiver on it. */
  private record Ledger(StateStore state, RecordArchiver archiver) {}

  @Override
  public String version() {
    return Versions.plugin();
  }

  @Override
  public void start(Map<String, String> props) {
    try {
      config = ConnectorSettings.parse(props, clock);
      LivePersonClient client = Stages.client(config, clock);
      sink = Stages.sink(config, clock);
      mapper =
          Stages.mapper(
              config,
              client,
              sink instanceof GraphSink tenant ? Optional.of(tenant) : Optional.empty());
      // Downloaded here, right before rendering, not by the source: a signed URL lasts about a
      // minute, and a record may wait in the topic for hours (docs/kafka-connect.md).
      files =
          config.source().liveperson().files().enabled()
              ? Optional.of(Stages.fileFetcher(config, client, clock))
              : Optional.empty();
    } catch (ConfigException e) {
      throw new ConnectException("lp-archiver sink task: " + e.getMessage(), e);
    }
    renderer = new EmailRenderer(ZoneOffset.UTC);
    String account = config.source().liveperson().account();
    messaging = new MessagingRecordParser(account);
    chat = new ChatRecordParser(account);
    reporter = errantRecordReporter();
  }

  private ErrantRecordReporter errantRecordReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      return null; // a worker older than Kafka 2.6
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    for (SinkRecord record : records) {
      archive(record);
    }
  }

  private void archive(SinkRecord record) {
    RecordArchiver archiver = ledger(record).archiver();
    RecordArchiver.Outcome outcome;
    try {
      outcome = archiver.archive(parse(record));
    } catch (TargetFailingException e) {
      context.timeout(TARGET_BACKOFF_MS);
      throw new RetriableException(e.getMessage(), e);
    } catch (SourceException e) {
      if (e.kind() == SourceException.Kind.RETRIES_EXHAUSTED) {
        context.timeout(TARGET_BACKOFF_MS);
        throw new RetriableException("LivePerson: " + e.getMessage(), e);
      }
      // e.g. the file download login was refused: a person must fix it, nothing is dead-lettered
      throw new ConnectException("lp-archiver sink: LivePerson: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while delivering; the batch is handed back", e);
    }
    if (outcome instanceof RecordArchiver.Outcome.DeadLettered dead) {
      reportDeadLetter(record, dead.stage(), dead.reason());
    } else if (outcome instanceof RecordArchiver.Outcome.NotClosed) {
      log.warn(
          "{} at {}/{}: the conversation is open and younger than archive.openSnapshotAfter; it is"
              + " archived when a record of it closed (or old enough) arrives",
          record.key(),
          record.kafkaPartition(),
          record.kafkaOffset());
    }
  }

  /** The record's bytes through the channel's parser; a record we cannot read is unparseable. */
  private SourceRecord parse(SinkRecord record) {
    Optional<String> channel = header(record, RecordFormat.CHANNEL);
    byte[] raw = record.value() instanceof byte[] bytes ? bytes : null;
    if (raw == null) {
      return new SourceRecord.Unparseable(
          channel.map(MailboxSinkTask::channel).orElse(Channel.MESSAGING),
          conversationId(record),
          new byte[0],
          "record value is "
              + (record.value() == null ? "empty" : "not bytes")
              + ": set value.converter to org.apache.kafka.connect.converters.ByteArrayConverter");
    }
    if (channel.isEmpty() || !channel.get().matches("messaging|chat")) {
      return new SourceRecord.Unparseable(
          Channel.MESSAGING,
          conversationId(record),
          raw,
          "record has no "
              + RecordFormat.CHANNEL
              + " header of messaging or chat: only LivePersonSourceConnector's records can be"
              + " archived");
    }
    return channel(channel.get()) == Channel.CHAT ? chat.parse(raw) : messaging.parse(raw);
  }

  private static Channel channel(String label) {
    return "chat".equals(label) ? Channel.CHAT : Channel.MESSAGING;
  }

  private static String conversationId(SinkRecord record) {
    Optional<String> id = header(record, RecordFormat.CONVERSATION_ID);
    return id.filter(s -> s.matches("[A-Za-z0-9._:-]{1,128}")).orElse("unknown");
  }

  private static Optional<String> header(SinkRecord record, String name) {
    Header h = record.headers().lastWithName(name);
    return h == null || h.value() == null ? Optional.empty() : Optional.of(h.value().toString());
  }

  /**
   * The dead letter is in the partition's ledger already; the record itself goes to Connect's
   * dead-letter queue, or, without one, stops the task. The copy sent carries our own headers
   * ({@link RecordFormat#DLQ_STAGE}, {@link RecordFormat#DLQ_REASON}, {@link
   * RecordFormat#DLQ_CONVERSATION}) besides Connect's {@code __connect.errors.*}: Connect writes a
   * record it consumed byte for byte as it was, but converts a record the task made itself, with
   * its headers, through the connector's converters.
   */
  private void reportDeadLetter(SinkRecord record, DeadLetterStage stage, String reason) {
    String message = "lp-archiver " + stage.label() + ": " + reason;
    log.warn(
        "Dead-lettered {} at {}/{}: {}",
        record.key(),
        record.kafkaPartition(),
        record.kafkaOffset(),
        message);
    if (reporter == null) {
      throw new DataException(
          message
              + ". Set errors.tolerance=all and errors.deadletterqueue.topic.name so such records"
              + " go to a dead-letter queue instead of stopping the task");
    }
    try {
      reporter.report(withReason(record, stage, reason), new DataException(message)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetriableException("interrupted while writing to the dead-letter queue", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new ConnectException("cannot write to the dead-letter queue: " + e.getCause(), e);
    }
  }

  /**
   * A plain copy of the record (not the worker's own record type, which Connect would write as
   * consumed) with the stage, reason and conversation id as headers. Earlier such headers, from a
   * record replayed out of the dead-letter queue, are replaced.
   */
  static SinkRecord withReason(SinkRecord record, DeadLetterStage stage, String reason) {
    ConnectHeaders headers = new ConnectHeaders();
    for (Header h : record.headers()) {
      if (!h.key().startsWith(RecordFormat.DLQ_PREFIX)) {
        headers.add(h.key(), h.value(), h.schema());
      }
    }
    headers.addString(RecordFormat.DLQ_STAGE, stage.label());
    headers.addString(RecordFormat.DLQ_REASON, reason);
    headers.addString(RecordFormat.DLQ_CONVERSATION, conversationId(record));
    return new SinkRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        record.key(),
        record.valueSchema(),
        record.value(),
        record.kafkaOffset(),
        record.timestamp() == null ? Long.valueOf(0) : record.timestamp(),
        record.timestampType(),
        headers);
  }

  private Ledger ledger(SinkRecord record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.kafkaPartition());
    Ledger ledger = ledgers.get(partition);
    if (ledger != null) {
      return ledger;
    }
    StateStore state;
    try {
      state = StateStore.open(PartitionLedger.dir(config.state().dir(), partition), clock);
    } catch (StateStoreException e) {
      // in a rebalance the previous owner may not have closed it yet
      context.timeout(1_000);
      throw new RetriableException("state of " + partition + ": " + e.getMessage(), e);
    }
    // The partition's previous owner (another task, perhaps killed) may have written copies whose
    // ledger rows it never committed: the sink must list its folders again to find them, or it
    // would write them a second time.
    sink.forgetListings();
    ledger =
        new Ledger(
            state,
            new RecordArchiver(
                config.source().liveperson().account(),
                mapper,
                renderer,
                sink,
                state,
                clock,
                DeliveryRetry.standard(),
                Optional.of(Stages.overflow(config)),
                files,
                new OpenSnapshots(config.archive().interimAfter())));
    ledgers.put(partition, ledger);
    return ledger;
  }

  /** The partitions moved to another task: release their state so the new owner can open it. */
  @Override
  public void close(Collection<TopicPartition> partitions) {
    for (TopicPartition p : partitions) {
      Ledger ledger = ledgers.remove(p);
      if (ledger != null) {
        ledger.state().close();
      }
    }
  }

  @Override
  public void stop() {
    close(Map.copyOf(ledgers).keySet());
    files.ifPresent(FileFetcher::close);
    if (sink != null) {
      sink.close();
    }
  }
}
