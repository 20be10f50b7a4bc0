package io.lparchiver.source;

import io.lparchiver.model.Window;
import java.time.Instant;
import java.util.Optional;

/**
 * What to fetch.
 *
 * @param window conversation start times to cover
 * @param updatedSince when present, only conversations updated at or after this time
 */
public record FetchRequest(Window window, Optional<Instant> updatedSince) {

  public static FetchRequest of(Window window) {
    return new FetchRequest(window, Optional.empty());
  }
}
