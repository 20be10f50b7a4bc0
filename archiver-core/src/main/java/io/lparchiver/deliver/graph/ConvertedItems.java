package io.lparchiver.deliver.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The create requests of the emails converted last, so that the copies of one email into several
 * mailboxes (the item does not depend on the mailbox) are converted once: parsing the MIME and
 * writing the JSON is most of what a copy costs the sink. Bounded by bytes, least recently used
 * dropped first; a dropped email is simply converted again. Thread-safe.
 */
final class ConvertedItems {

  private final long maxBytes;
  private final Map<String, byte[]> requests = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  ConvertedItems(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The key of an email version as rendered: its Message-ID and the SHA-256 of its bytes. */
  static String key(String messageId, String emailSha256) {
    return messageId + ' ' + emailSha256;
  }

  synchronized Optional<byte[]> get(String key) {
    return Optional.ofNullable(requests.get(key));
  }

  synchronized void put(String key, byte[] request) {
    if (request.length > maxBytes / 4) {
      return; // one large item would push out many small ones
    }
    byte[] old = requests.put(key, request);
    bytes += request.length - (old == null ? 0 : old.length);
    var eldest = requests.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().length;
      eldest.remove();
    }
  }
}
