package io.lparchiver.deliver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which Message-IDs an archive folder may hold, for a sink's {@code find}: the folder is listed
 * once per run, after which a Message-ID it does not hold (the usual case: a new copy) is answered
 * without asking the target. Asking per copy made a run quadratic in the folder's size (a Maildir
 * listing, an IMAP {@code SEARCH HEADER} over every message).
 *
 * <p>Holds 32-bit hashes, not the ids: "may hold" can be a false positive (about one lookup in
 * 4,000 for a folder of a million items), which the sink settles with its exact lookup; "does not
 * hold" is certain for what was listed plus what the sink added since. 8 to 16 bytes per archived
 * item of the folders in memory, and bounded: at most {@code maxFolders} folders and {@link
 * #MAX_ITEMS} items are kept (least recently used folders dropped, and listed again when needed),
 * so a run's memory does not grow with the size of the archive beyond that.
 *
 * <p>Only lp-archiver writes these Message-IDs, and the state store's lock allows one lp-archiver
 * per archive at a time, so nothing else adds them while a run goes. Thread-safe.
 */
public final class DeliveredIndex {

  /** Items kept over all folders: at most 32 MB of hashes (tables kept at most half full). */
  static final int MAX_ITEMS = 2_000_000;

  private final int maxItems;
  private final Map<String, Folder> folders = new LinkedHashMap<>(16, 0.75f, true);
  private final int maxFolders;
  private long items;

  public DeliveredIndex(int maxFolders) {
    this(maxFolders, MAX_ITEMS);
  }

  DeliveredIndex(int maxFolders, int maxItems) {
    this.maxFolders = maxFolders;
    this.maxItems = maxItems;
  }

  /** Whether {@code folder} may hold {@code messageId}; empty when the folder was not listed. */
  public synchronized Optional<Boolean> mayHold(String folder, String messageId) {
    Folder f = folders.get(folder);
    return f == null || !f.listed ? Optional.empty() : Optional.of(f.ids.contains(hash(messageId)));
  }

  /** Records the listing of {@code folder}: every Message-ID in it. */
  public synchronized void listed(String folder, Iterable<String> messageIds) {
    // merged, not replaced: a copy added while another thread listed stays known
    Folder f = folder(folder);
    messageIds.forEach(id -> add(f, id));
    f.listed = true;
    trim(f);
  }

  /**
   * Records a copy just written, also before the folder is listed (a listing taken meanwhile may
   * miss it). Also call it when a write failed in a way that may have left the copy behind (a
   * connection lost mid-APPEND): the next {@code find} then asks the target.
   */
  public synchronized void added(String folder, String messageId) {
    Folder f = folder(folder);
    add(f, messageId);
    trim(f);
  }

  private Folder folder(String name) {
    return folders.computeIfAbsent(name, n -> new Folder());
  }

  private void add(Folder f, String messageId) {
    if (f.ids.add(hash(messageId))) {
      items++;
    }
  }

  /**
   * Drops the least recently used folders past the bounds, never {@code current}: a folder larger
   * than the bound alone is kept whole, since dropping it would mean listing it for every copy.
   */
  private void trim(Folder current) {
    Iterator<Folder> eldestFirst = folders.values().iterator();
    while ((folders.size() > maxFolders || items > maxItems) && eldestFirst.hasNext()) {
      Folder f = eldestFirst.next();
      if (f != current) {
        items -= f.ids.size();
        eldestFirst.remove();
      }
    }
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
    private final IntSet ids = new IntSet();

    private Listing(String folder) {
      this.folder = folder;
    }

    public void add(String messageId) {
      ids.add(hash(messageId));
    }

    /** Records the whole listing, merged with what was added meanwhile, as with {@code listed}. */
    public void complete() {
      synchronized (DeliveredIndex.this) {
        Folder f = folder(folder);
        ids.forEach(
            id -> {
              if (f.ids.add(id)) {
                items++;
              }
            });
        f.listed = true;
        trim(f);
      }
    }
  }

  private static final class Folder {
    final IntSet ids = new IntSet();
    boolean listed;
  }

  /** 32-bit FNV-1a: spreads the ids well enough that a false "may hold" is rare. */
  static int hash(String messageId) {
    int h = 0x811c9dc5;
    for (byte b : messageId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }

  /** An open-addressing set of ints; 0 marks an empty slot, so 0 itself is kept aside. */
  private static final class IntSet {
    private int[] slots = new int[16];
    private int size;
    private boolean hasZero;

    int size() {
      return size + (hasZero ? 1 : 0);
    }

    boolean contains(int value) {
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

    /** False when it was there already. */
    boolean add(int value) {
      if (value == 0) {
        boolean added = !hasZero;
        hasZero = true;
        return added;
      }
      if ((size + 1) * 2 > slots.length) {
        grow();
      }
      if (insert(slots, value)) {
        size++;
        return true;
      }
      return false;
    }

    void forEach(java.util.function.IntConsumer action) {
      if (hasZero) {
        action.accept(0);
      }
      for (int v : slots) {
        if (v != 0) {
          action.accept(v);
        }
      }
    }

    private void grow() {
      int[] bigger = new int[slots.length * 2];
      Arrays.stream(slots).filter(v -> v != 0).forEach(v -> insert(bigger, v));
      slots = bigger;
    }

    private static boolean insert(int[] table, int value) {
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

    private static int index(int value, int length) {
      // FNV's low bits are its weakest: mix the high ones in
      return (value ^ (value >>> 16)) & (length - 1);
    }
  }
}
