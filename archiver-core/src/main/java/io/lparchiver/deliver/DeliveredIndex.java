package io.lparchiver.deliver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Message-IDs an archive folder may hold, for a sink's {@code find}: the folder is listed
 * once per run, after which a Message-ID it does not hold (the usual case: a new copy) is answered
 * without asking the target. Asking per copy made a run quadratic in the folder's size (a Maildir
 * listing, an IMAP {@code SEARCH HEADER} over every message).
 *
 * <p>Holds 64-bit hashes, not the ids: "may hold" can be a false positive, which the sink settles
 * with its exact lookup; "does not hold" is certain for what was listed plus what the sink added
 * since. About 16 bytes per archived item of the folders in memory; at most {@code maxFolders}
 * folders are kept (least recently used dropped, and listed again when needed).
 *
 * <p>Only lp-archiver writes these Message-IDs, and the state store's lock allows one lp-archiver
 * per archive at a time, so nothing else adds them while a run goes. Thread-safe.
 */
public final class DeliveredIndex {

  private final Map<String, Folder> folders;

  public DeliveredIndex(int maxFolders) {
    this.folders =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Folder> eldest) {
            return size() > maxFolders;
          }
        };
  }

  /** Whether {@code folder} may hold {@code messageId}; empty when the folder was not listed. */
  public synchronized Optional<Boolean> mayHold(String folder, String messageId) {
    Folder f = folders.get(folder);
    return f == null || !f.listed ? Optional.empty() : Optional.of(f.ids.contains(hash(messageId)));
  }

  /** Records the listing of {@code folder}: every Message-ID in it. */
  public synchronized void listed(String folder, Iterable<String> messageIds) {
    // merged, not replaced: a copy added while another thread listed stays known
    Folder f = folders.computeIfAbsent(folder, name -> new Folder());
    messageIds.forEach(id -> f.ids.add(hash(id)));
    f.listed = true;
  }

  /**
   * Records a copy just written, also before the folder is listed (a listing taken meanwhile may
   * miss it). Also call it when a write failed in a way that may have left the copy behind (a
   * connection lost mid-APPEND): the next {@code find} then asks the target.
   */
  public synchronized void added(String folder, String messageId) {
    folders.computeIfAbsent(folder, name -> new Folder()).ids.add(hash(messageId));
  }

  /**
   * Starts a listing of {@code folder} that arrives in parts (pages of a remote listing): the parts
   * are collected outside this index's lock, so a long listing holds up no other folder, and count
   * only once {@link Listing#complete()} records them all at once.
   */
  public Listing listing(String folder) {
    return new Listing(folder);
  }

  /** A folder listing being collected; not thread-safe (one lister per listing). */
  public final class Listing {
    private final String folder;
    private final LongSet ids = new LongSet();

    private Listing(String folder) {
      this.folder = folder;
    }

    public void add(String messageId) {
      ids.add(hash(messageId));
    }

    /** Records the whole listing, merged with what was added meanwhile, as with {@code listed}. */
    public void complete() {
      synchronized (DeliveredIndex.this) {
        Folder f = folders.computeIfAbsent(folder, name -> new Folder());
        ids.forEach(f.ids::add);
        f.listed = true;
      }
    }
  }

  private static final class Folder {
    final LongSet ids = new LongSet();
    boolean listed;
  }

  /** 64-bit FNV-1a: spreads the ids well enough that a false "may hold" is rare. */
  static long hash(String messageId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** An open-addressing set of longs; 0 marks an empty slot, so 0 itself is kept aside. */
  private static final class LongSet {
    private long[] slots = new long[16];
    private int size;
    private boolean hasZero;

    boolean contains(long value) {
      if (value == 0) {
        return hasZero;
      }
      for (int i = index(value, slots.length); ; i = (i + 1) & (slots.length - 1)) {
        if (slots[i] == value) {
          return true;
        }
        if (slots[i] == 0) {
          return false;
        }
      }
    }

    void add(long value) {
      if (value == 0) {
        hasZero = true;
        return;
      }
      if ((size + 1) * 2 > slots.length) {
        grow();
      }
      if (insert(slots, value)) {
        size++;
      }
    }

    void forEach(java.util.function.LongConsumer action) {
      if (hasZero) {
        action.accept(0);
      }
      for (long v : slots) {
        if (v != 0) {
          action.accept(v);
        }
      }
    }

    private void grow() {
      long[] bigger = new long[slots.length * 2];
      Arrays.stream(slots).filter(v -> v != 0).forEach(v -> insert(bigger, v));
      slots = bigger;
    }

    private static boolean insert(long[] table, long value) {
      for (int i = index(value, table.length); ; i = (i + 1) & (table.length - 1)) {
        if (table[i] == value) {
          return false;
        }
        if (table[i] == 0) {
          table[i] = value;
          return true;
        }
      }
    }

    private static int index(long value, int length) {
      return (int) (value ^ (value >>> 32)) & (length - 1);
    }
  }
}
