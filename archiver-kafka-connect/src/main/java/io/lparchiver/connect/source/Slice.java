package io.lparchiver.connect.source;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A unit of source work: one channel's conversations that started in one slice of time. Slices lie
 * on a fixed grid of {@link #WIDTH} from the epoch, so a slice keeps its identity (and its stored
 * offset) across restarts, whatever the date or the number of tasks. The newest slice has no end:
 * it follows new conversations until the connector is reconfigured.
 *
 * @param account LivePerson account
 * @param channel messaging or chat
 * @param from grid start of the slice (inclusive)
 * @param to grid end (exclusive); empty for the newest slice
 */
public record Slice(String account, Channel channel, Instant from, Optional<Instant> to) {

  /** One month: Engagement History's largest window, and a fine enough unit to spread. */
  static final Duration WIDTH = Duration.ofDays(30);

  /** The one entry of a slice's source partition. */
  static final String PARTITION_KEY = "slice";

  /**
   * The source partition: stable for the slice's life. One entry only: Connect finds a stored
   * offset by the JSON bytes of its partition, and a map of several entries is written in the order
   * it iterates ({@code Map.of}'s order changes from JVM to JVM; the REST API and {@code PATCH
   * /offsets} rebuild the map in yet another), so a slice would be stored under several keys and
   * its offset missed after a restart.
   */
  public Map<String, Object> partition() {
    return Map.of(PARTITION_KEY, id());
  }

  /**
   * {@code 12345678/messaging/2026-09-04T00:00:00Z}: the slice in its source partition and as the
   * key of its checkpoint records.
   */
  public String id() {
    return account + "/" + channel.label() + "/" + from;
  }

  /** The conversation start times this slice covers before {@code now}, clipped to the backfill. */
  Optional<Window> range(Instant backfillFrom, Instant now) {
    Instant start = from.isBefore(backfillFrom) ? backfillFrom : from;
    Instant end = to.filter(t -> t.isBefore(now)).orElse(now);
    return start.isBefore(end) ? Optional.of(new Window(start, end)) : Optional.empty();
  }

  /** Every slice of {@code channels} from {@code backfillFrom}'s grid slice to {@code now}'s. */
  static List<Slice> plan(
      String account, List<Channel> channels, Instant backfillFrom, Instant now) {
    long width = WIDTH.toMillis();
    Instant first = Instant.ofEpochMilli(Math.floorDiv(backfillFrom.toEpochMilli(), width) * width);
    List<Slice> slices = new ArrayList<>();
    for (Channel channel : channels) {
      for (Instant from = first; !from.isAfter(now); from = from.plus(WIDTH)) {
        Instant next = from.plus(WIDTH);
        Optional<Instant> to = next.isAfter(now) ? Optional.empty() : Optional.of(next);
        slices.add(new Slice(account, channel, from, to));
      }
    }
    return slices;
  }

  /**
   * Text form for a task's configuration: {@code messaging@2026-01-01T00:00:00Z/2026-01-31T...}.
   */
  String encode() {
    return channel.label() + "@" + from + "/" + to.map(Instant::toString).orElse("");
  }

  static Slice decode(String account, String text) {
    int at = text.indexOf('@');
    int slash = text.indexOf('/');
    Channel channel = "chat".equals(text.substring(0, at)) ? Channel.CHAT : Channel.MESSAGING;
    String end = text.substring(slash + 1);
    return new Slice(
        account,
        channel,
        Instant.parse(text.substring(at + 1, slash)),
        end.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(end)));
  }
}
