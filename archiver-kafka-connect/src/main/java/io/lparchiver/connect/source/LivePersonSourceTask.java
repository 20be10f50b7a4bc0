package io.lparchiver.connect.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.connect.ConnectorSettings;
import io.lparchiver.connect.RecordFormat;
import io.lparchiver.connect.Versions;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Window;
import io.lparchiver.pipeline.OpenSnapshots;
import io.lparchiver.pipeline.WindowPlanner;
import io.lparchiver.source.ConversationSource;
import io.lparchiver.source.SourceException;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.wiring.Stages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the slices the connector gave this task, one window at a time, in rounds: each round plans
 * the slice's fetches with {@link WindowPlanner} from its offset (backfill from the cursor, then
 * conversations updated since the previous round), and the next round starts {@code
 * schedule.interval} after it. A record carries its slice's offset as it was before its window; the
 * last record of a window carries the moved cursor, so Connect stores the new checkpoint only once
 * every record of the window is acknowledged. Connect stores offsets only with records, so a window
 * that ends without a record (nothing in it, or nothing left after the previous batch) sends its
 * moved checkpoint in a small record to {@value LivePersonSourceConnector#CHECKPOINT_TOPIC}; else a
 * restarted task would ask LivePerson for every window it had finished empty. With {@code
 * archive.openSnapshotAfter}, open conversations old enough are produced too, as interim versions
 * (the same plan and rule as a sync: {@link OpenSnapshots}).
 */
public final class LivePersonSourceTask extends SourceTask {

  private static final Logger log = LoggerFactory.getLogger(LivePersonSourceTask.class);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Records per poll: small enough that a pause or a stop takes effect quickly. */
  static final int BATCH = 200;

  /** Longest pause inside one poll while nothing is due, so stop() is honoured promptly. */
  private static final Duration IDLE_STEP = Duration.ofMillis(500);

  private final Clock clock;
  private final WindowPlanner planner = new WindowPlanner();
  private final Map<Slice, SliceState> slices = new LinkedHashMap<>();
  private ArchiverConfig config;
  private OpenSnapshots openSnapshots = OpenSnapshots.off();
  private LivePersonClient client;
  private String topic;
  private String checkpointTopic;
  private Current current;
  private volatile boolean stopping;

  public LivePersonSourceTask() {
    this(Clock.systemUTC());
  }

  LivePersonSourceTask(Clock clock) {
    this.clock = clock;
  }

  /** A slice's checkpoint and the fetches left in its current round. */
  private static final class SliceState {
    SliceOffset offset;
    final Deque<WindowPlanner.PlannedFetch> pending = new ArrayDeque<>();
    Instant roundStartedAt;
    Instant nextRoundAt;

    SliceState(SliceOffset offset, Instant nextRoundAt) {
      this.offset = offset;
      this.nextRoundAt = nextRoundAt;
    }
  }

  /** The fetch being read. */
  private record Current(
      Slice slice,
      SliceState state,
      WindowPlanner.PlannedFetch fetch,
      Stream<io.lparchiver.source.SourceRecord> stream,
      Iterator<io.lparchiver.source.SourceRecord> records) {}

  @Override
  public String version() {
    return Versions.plugin();
  }

  @Override
  public void start(Map<String, String> props) {
    try {
      config = ConnectorSettings.parse(props, clock);
    } catch (ConfigException e) {
      throw new ConnectException("lp-archiver source task: " + e.getMessage(), e);
    }
    openSnapshots = new OpenSnapshots(config.archive().interimAfter());
    topic =
        props.getOrDefault(
            LivePersonSourceConnector.TOPIC, LivePersonSourceConnector.DEFAULT_TOPIC);
    checkpointTopic =
        props.getOrDefault(
            LivePersonSourceConnector.CHECKPOINT_TOPIC,
            LivePersonSourceConnector.DEFAULT_CHECKPOINT_TOPIC);
    client = Stages.client(config, clock);
    String account = config.source().liveperson().account();
    List<Slice> own =
        Arrays.stream(props.getOrDefault(LivePersonSourceConnector.TASK_SLICES, "").split(";"))
            .filter(s -> !s.isBlank())
            .map(s -> Slice.decode(account, s))
            .toList();
    Map<Map<String, Object>, Map<String, Object>> stored =
        context.offsetStorageReader().offsets(own.stream().map(Slice::partition).toList());
    Instant now = clock.instant();
    for (Slice slice : own) {
      slices.put(slice, new SliceState(SliceOffset.fromMap(stored.get(slice.partition())), now));
    }
    log.info(
        "LivePerson source task reads {} slices into {} ({} resume from a stored checkpoint)",
        own.size(),
        topic,
        own.stream().filter(slice -> stored.get(slice.partition()) != null).count());
  }

  @Override
  public List<SourceRecord> poll() throws InterruptedException {
    if (stopping) {
      closeCurrent();
      return null;
    }
    if (current == null && !openNextFetch()) {
      idle();
      return null;
    }
    List<SourceRecord> out = new ArrayList<>();
    try {
      while (out.size() < BATCH && current.records().hasNext()) {
        io.lparchiver.source.SourceRecord next = current.records().next();
        if (archived(next)) {
          out.add(toRecord(current, current.state().offset, next));
        }
      }
    } catch (SourceException e) {
      closeCurrent();
      // the window is read again from its start; what was produced is deduplicated downstream
      throw failure(e);
    }
    if (!current.records().hasNext()) {
      Slice slice = current.slice();
      SliceOffset before = current.state().offset;
      SliceOffset moved = finishFetch(current);
      if (!out.isEmpty()) {
        SourceRecord last = out.remove(out.size() - 1);
        out.add(withOffset(last, moved));
      } else if (!moved.equals(before)) {
        out.add(checkpoint(slice, moved));
      }
    }
    return out.isEmpty() ? null : out;
  }

  /**
   * What a sync would archive: closed conversations, open ones old enough for an interim version
   * ({@link OpenSnapshots}), and unparseable records (the sink dead-letters them).
   */
  private boolean archived(io.lparchiver.source.SourceRecord record) {
    return !(record instanceof io.lparchiver.source.SourceRecord.Parsed parsed)
        || openSnapshots.archives(parsed.fetched().conversation(), clock.instant());
  }

  /** Starts the next due fetch; false when no slice has anything due. */
  private boolean openNextFetch() {
    Instant now = clock.instant();
    for (Map.Entry<Slice, SliceState> e : slices.entrySet()) {
      SliceState s = e.getValue();
      if (s.pending.isEmpty() && !now.isBefore(s.nextRoundAt)) {
        planRound(e.getKey(), s, now);
      }
      if (!s.pending.isEmpty()) {
        WindowPlanner.PlannedFetch fetch = s.pending.peekFirst();
        ConversationSource source = Stages.sources(List.of(e.getKey().channel()), client).get(0);
        Stream<io.lparchiver.source.SourceRecord> stream;
        try {
          stream = source.fetch(fetch.request());
        } catch (SourceException ex) {
          throw failure(ex);
        }
        current = new Current(e.getKey(), s, fetch, stream, stream.iterator());
        return true;
      }
    }
    return false;
  }

  /**
   * LivePerson still failing after the client's retries: try again at the next poll. Refused
   * credentials or requests stop the task with the message that names the fix.
   */
  private static ConnectException failure(SourceException e) {
    return e.kind() == SourceException.Kind.RETRIES_EXHAUSTED
        ? new RetriableException("LivePerson: " + e.getMessage(), e)
        : new ConnectException("LivePerson: " + e.getMessage(), e);
  }

  private void planRound(Slice slice, SliceState s, Instant now) {
    ArchiverConfig.LivePerson lp = config.source().liveperson();
    s.roundStartedAt = now;
    s.nextRoundAt = now.plus(config.schedule().interval());
    Optional<Window> range = slice.range(lp.backfillFrom(), now);
    if (range.isEmpty()) {
      return;
    }
    s.pending.addAll(
        planner.incremental(
            range.get().from(),
            s.offset.cursor(),
            s.offset.lastRoundStartedAt(),
            range.get().to(),
            lp.updateLag(),
            openSnapshots.interimAfter()));
  }

  /** The fetch is read to its end: move the slice's checkpoint as a sync moves its own. */
  private SliceOffset finishFetch(Current c) {
    closeCurrent();
    SliceState s = c.state();
    s.pending.pollFirst();
    SliceOffset moved = c.fetch().cursorAfter().map(s.offset::withCursor).orElse(s.offset);
    if (s.pending.isEmpty()) {
      moved = moved.withRoundStartedAt(s.roundStartedAt);
    }
    s.offset = moved;
    return moved;
  }

  private SourceRecord toRecord(
      Current c, SliceOffset offset, io.lparchiver.source.SourceRecord record) {
    String account = c.slice().account();
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString(RecordFormat.ACCOUNT, account);
    headers.addString(RecordFormat.CHANNEL, c.slice().channel().label());
    String id;
    byte[] value;
    if (record instanceof io.lparchiver.source.SourceRecord.Parsed parsed) {
      FetchedConversation f = parsed.fetched();
      Conversation conversation = f.conversation();
      id = conversation.id();
      value = f.rawRecord();
      headers.addString(RecordFormat.FINGERPRINT, f.fingerprint());
      headers.addString(RecordFormat.SOURCE_SHA256, f.sourceSha256());
      headers.addString(RecordFormat.START, conversation.start().toString());
      conversation.end().ifPresent(end -> headers.addString(RecordFormat.END, end.toString()));
    } else {
      io.lparchiver.source.SourceRecord.Unparseable bad =
          (io.lparchiver.source.SourceRecord.Unparseable) record;
      id = bad.conversationId();
      value = bad.raw();
      headers.addString(RecordFormat.PARSE_ERROR, bad.reason());
    }
    headers.addString(RecordFormat.CONVERSATION_ID, id);
    return new SourceRecord(
        c.slice().partition(),
        offset.toMap(),
        topic,
        null,
        Schema.STRING_SCHEMA,
        RecordFormat.key(account, id),
        Schema.BYTES_SCHEMA,
        value,
        null,
        headers);
  }

  /** The record that carries a slice's checkpoint when no conversation record can. */
  private SourceRecord checkpoint(Slice slice, SliceOffset offset) {
    byte[] value;
    try {
      value = JSON.writeValueAsBytes(offset.toMap());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a checkpoint of two instants is always JSON", e);
    }
    return new SourceRecord(
        slice.partition(),
        offset.toMap(),
        checkpointTopic,
        null,
        Schema.STRING_SCHEMA,
        slice.id(),
        Schema.BYTES_SCHEMA,
        value);
  }

  private static SourceRecord withOffset(SourceRecord r, SliceOffset offset) {
    return new SourceRecord(
        r.sourcePartition(),
        offset.toMap(),
        r.topic(),
        r.kafkaPartition(),
        r.keySchema(),
        r.key(),
        r.valueSchema(),
        r.value(),
        r.timestamp(),
        r.headers());
  }

  private void idle() throws InterruptedException {
    Instant now = clock.instant();
    Duration wait =
        slices.values().stream()
            .map(s -> Duration.between(now, s.nextRoundAt))
            .min(Duration::compareTo)
            .orElse(IDLE_STEP);
    long millis = Math.max(0, Math.min(wait.toMillis(), IDLE_STEP.toMillis()));
    if (millis > 0) {
      Thread.sleep(millis);
    }
  }

  private void closeCurrent() {
    if (current != null) {
      current.stream().close();
      current = null;
    }
  }

  /** True when every slice has finished its round and none is due yet. */
  boolean caughtUp() {
    Instant now = clock.instant();
    return current == null
        && slices.values().stream()
            .allMatch(s -> s.pending.isEmpty() && now.isBefore(s.nextRoundAt));
  }

  /** Only signals: Connect calls it on another thread while poll() may be running. */
  @Override
  public void stop() {
    stopping = true;
  }
}
