package io.lparchiver.source;

import io.lparchiver.model.Window;
import java.time.Instant;
import java.util.Optional;

/**
 * What to fetch.
 *
 * @param window conversation start times to cover
 * @param updatedSince when present, only conversations updated at or after this time
 * @param includeOpen also return conversations that are still OPEN (for interim versions); a source
 *     that only ever holds ended conversations (Engagement History) ignores it
 */
public record FetchRequest(Window window, Optional<Instant> updatedSince, boolean includeOpen) {

  /** Closed conversations only. */
  public FetchRequest(Window window, Optional<Instant> updatedSince) {
    this(window, updatedSince, false);
  }

  public static FetchRequest of(Window window) {
    return new FetchRequest(window, Optional.empty());
  }

  /** The same request, asking for open conversations too when {@code open} is true. */
  public FetchRequest withOpen(boolean open) {
    return new FetchRequest(window, updatedSince, open);
  }
}
