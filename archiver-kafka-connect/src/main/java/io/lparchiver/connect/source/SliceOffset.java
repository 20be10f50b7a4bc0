package io.lparchiver.connect.source;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A slice's checkpoint, the source offset Connect stores: the same two typed values a sync keeps
 * per channel ({@code startCursor}, {@code lastRunStartedAt}), converted to and from Connect's map
 * here and nowhere else.
 *
 * @param cursor conversations that started before this have all been produced (backfill done up to
 *     here); empty before the first window completes
 * @param lastRoundStartedAt start of the last complete round, from which the next one asks for
 *     conversations updated since (minus the update lag); empty before the first round completes
 */
public record SliceOffset(Optional<Instant> cursor, Optional<Instant> lastRoundStartedAt) {

  static final SliceOffset NONE = new SliceOffset(Optional.empty(), Optional.empty());

  public Map<String, Object> toMap() {
    Map<String, Object> map = new HashMap<>();
    cursor.ifPresent(c -> map.put("cursor", c.toString()));
    lastRoundStartedAt.ifPresent(t -> map.put("lastRoundStartedAt", t.toString()));
    return map;
  }

  /** Reads a stored offset; an absent one (a new slice) is {@link #NONE}. */
  public static SliceOffset fromMap(Map<String, Object> map) {
    if (map == null) {
      return NONE;
    }
    return new SliceOffset(instant(map, "cursor"), instant(map, "lastRoundStartedAt"));
  }

  private static Optional<Instant> instant(Map<String, Object> map, String name) {
    Object value = map.get(name);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value.toString()));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalStateException(
          "stored source offset "
              + name
              + " is not an instant ('"
              + value
              + "'); reset the connector's offsets (DELETE /connectors/<name>/offsets) to"
              + " re-read from source.liveperson.backfillFrom",
          e);
    }
  }

  SliceOffset withCursor(Instant newCursor) {
    return new SliceOffset(Optional.of(newCursor), lastRoundStartedAt);
  }

  SliceOffset withRoundStartedAt(Instant started) {
    return new SliceOffset(cursor, Optional.of(started));
  }
}
