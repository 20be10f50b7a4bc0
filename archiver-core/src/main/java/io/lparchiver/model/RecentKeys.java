package io.lparchiver.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last {@code capacity} distinct keys added, for dropping repeats that arrive close together (a
 * record on two pages of one search, a conversation in two adjacent windows) in memory that does
 * not grow with the size of a run. A key older than that is not recognised, so whoever uses it must
 * stay correct when a repeat gets through: the pipeline does, because the ledger recognises a
 * version already archived.
 *
 * <p>Not thread-safe.
 */
public final class RecentKeys {

  private final Map<String, Boolean> keys;

  public RecentKeys(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "RecentKeys: capacity must be at least 1, was " + capacity);
    }
    this.keys =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Adds {@code key}; false when it is among the recent keys already. */
  public boolean add(String key) {
    return keys.put(key, Boolean.TRUE) == null;
  }

  public boolean contains(String key) {
    return keys.containsKey(key);
  }
}
