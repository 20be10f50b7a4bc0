package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import io.lparchiver.model.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The version identity of a Messaging Interactions or Engagement History record: hex SHA-256 of its
 * canonical form (keys sorted recursively, compact, numbers as read) after removing fields that
 * change without the conversation changing:
 *
 * <ul>
 *   <li>{@code info.duration} while the conversation is not CLOSE: it runs up to the time of
 *       retrieval.
 *   <li>{@code agentDeleted} (in {@code info} and every agent participant list): the agent's
 *       current account state, not part of the conversation; deleting an agent must not create a
 *       new version of every conversation they handled.
 *   <li>{@code messageData.*.preview}: the base64 thumbnail only the by-id endpoint returns, so a
 *       record re-fetched by id (after {@code isPartial}) fingerprints like one from the search.
 *   <li>Engagement History's {@code info.chatDataEnriched} / {@code isChatDataEnriched}: the flag
 *       flipping alone is no change to the chat (what enrichment adds changes the fingerprint
 *       anyway). EH records have no {@code status}, so their {@code duration} is left out too; it
 *       follows from the start and end times.
 *   <li>Sections the archiver does not ask for in {@code contentToRetrieve} ({@code messageScores},
 *       {@code responseTime} (also volatile while open), {@code intents}, ...): the by-id endpoint
 *       returns every section unasked.
 * </ul>
 *
 * <p>Not neutralised (a known limit): the search returns "partial" SDEs while by-id returns all, so
 * a record re-fetched by id may fingerprint differently when it has several SDE updates.
 *
 * <p>Everything else counts: a post-survey answer, an edited summary, masking or a late message all
 * make a new fingerprint.
 *
 * <p>The canonical form is byte for byte what the first version hashed: the record deep-copied, the
 * fields above removed, keys sorted into a new tree, {@code JsonNode.toString()} of it, UTF-8 (a
 * lone surrogate as {@code ?}). Every stored fingerprint depends on it, so it must never change (or
 * an upgrade re-archives every conversation); {@code FingerprintTest} compares it with that first
 * version. It is now written in one walk of the record straight into the digest, as Jackson writes
 * strings and numbers, because the copies cost a tenth of a sync's CPU.
 */
final class Fingerprint {

  private static final Set<String> UNREQUESTED_SECTIONS =
      Set.of(
          "messageScores",
          "messageScore",
          "responseTime",
          "intents",
          "uniqueIntents",
          "latestAgentSurvey",
          "previouslySubmittedAgentSurveys");
  private static final Set<String> AGENT_LISTS =
      Set.of("agentParticipants", "agentParticipantsLeave", "agentParticipantsActive");
  private static final Set<String> AGENT_VOLATILE = Set.of("agentDeleted");
  private static final Set<String> PART_VOLATILE = Set.of("preview");
  private static final Set<String> INFO_VOLATILE =
      Set.of("agentDeleted", "chatDataEnriched", "isChatDataEnriched");
  private static final Set<String> INFO_VOLATILE_OPEN =
      Set.of("agentDeleted", "chatDataEnriched", "isChatDataEnriched", "duration");

  private static final HexFormat HEX = HexFormat.of();

  private Fingerprint() {}

  static String of(JsonNode record) {
    MessageDigest digest = Sha256.digest();
    write(record, new DigestOutputStream(OutputStream.nullOutputStream(), digest));
    return HEX.formatHex(digest.digest());
  }

  /** The canonical form, exposed for tests and for explaining a version change. */
  static String canonicalJson(JsonNode record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(record, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void write(JsonNode record, OutputStream target) {
    CanonicalWriter writer = new CanonicalWriter(target);
    writer.value(record, record.isObject() ? Rule.ROOT : Rule.PLAIN);
    writer.flush();
  }

  static String sha256(byte[] bytes) {
    return Sha256.of(bytes);
  }

  static String sha256(String text) {
    return Sha256.of(text);
  }

  /**
   * Which volatile fields an object loses, by where it sits in the record. The rules act on objects
   * only, as the removal did; a "list" rule applies its element rule to every object in an array
   * (or among an object's values, which {@code JsonNode.forEach} also visited).
   */
  private enum Rule {
    PLAIN,
    ROOT,
    INFO,
    AGENT_LIST,
    AGENT,
    MESSAGE_LIST,
    MESSAGE,
    PART_LIST,
    PART;

    /** The rule for the value of {@code field} in an object under this rule. */
    Rule field(String field) {
      return switch (this) {
        case ROOT -> {
          if (field.equals("info")) {
            yield INFO;
          }
          if (AGENT_LISTS.contains(field)) {
            yield AGENT_LIST;
          }
          yield field.equals("messageRecords") ? MESSAGE_LIST : PLAIN;
        }
        case MESSAGE -> field.equals("messageData") ? PART_LIST : PLAIN;
        default -> element();
      };
    }

    /** The rule for the elements of a list under this rule. */
    Rule element() {
      return switch (this) {
        case AGENT_LIST -> AGENT;
        case MESSAGE_LIST -> MESSAGE;
        case PART_LIST -> PART;
        default -> PLAIN;
      };
    }

    /** The fields an object under this rule leaves out. */
    Set<String> dropped(JsonNode object) {
      return switch (this) {
        case ROOT -> UNREQUESTED_SECTIONS;
        case INFO ->
            "CLOSE".equals(object.path("status").asText()) ? INFO_VOLATILE : INFO_VOLATILE_OPEN;
        case AGENT -> AGENT_VOLATILE;
        case PART -> PART_VOLATILE;
        default -> Set.of();
      };
    }
  }

  /**
   * Writes a tree as {@code JsonNode.toString()} writes it (compact; strings escaped as Jackson
   * does: {@code \" \\ \b \t \n \f \r}, other controls as {@code \}{@code u00XX}, the rest as is)
   * in UTF-8 as {@code String.getBytes} encodes it, through a small buffer.
   */
  private static final class CanonicalWriter {
    private static final byte[] HEX_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ESCAPE_BYTES = 6; // backslash, u, four hex digits
    private static final int MAX_NAMES = 4096;
    private static final int MAX_KEPT_NAME = 64;
    private static final Map<String, byte[]> NAMES = new ConcurrentHashMap<>();
    private static final Comparator<Map.Entry<String, JsonNode>> BY_NAME =
        Map.Entry.comparingByKey();

    private final OutputStream target;
    private final byte[] buffer = new byte[8192];
    private int used;

    CanonicalWriter(OutputStream target) {
      this.target = target;
    }

    void value(JsonNode node, Rule rule) {
      if (node.isObject()) {
        object(node, rule);
      } else if (node.isArray()) {
        put('[');
        Rule element = rule.element();
        for (int i = 0, n = node.size(); i < n; i++) {
          if (i > 0) {
            put(',');
          }
          JsonNode child = node.get(i);
          value(child, child.isObject() ? element : Rule.PLAIN);
        }
        put(']');
      } else if (node.isTextual()) {
        string(node.textValue());
      } else if (node.isInt() || node.isLong()) {
        ascii(Long.toString(node.longValue()));
      } else if (node.isBoolean()) {
        ascii(node.booleanValue() ? "true" : "false");
      } else if (node.isNull()) {
        ascii("null");
      } else {
        // doubles, big numbers and anything rarer: exactly as Jackson writes them
        raw(node.toString());
      }
    }

    private void object(JsonNode node, Rule rule) {
      Set<String> dropped = rule.dropped(node);
      @SuppressWarnings("unchecked")
      Map.Entry<String, JsonNode>[] fields = new Map.Entry[node.size()];
      int count = 0;
      // the entries, not the names: no second lookup of each value after sorting
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!dropped.contains(field.getKey())) {
          fields[count++] = field;
        }
      }
      Arrays.sort(fields, 0, count, BY_NAME);
      put('{');
      for (int i = 0; i < count; i++) {
        if (i > 0) {
          put(',');
        }
        String name = fields[i].getKey();
        name(name);
        put(':');
        JsonNode child = fields[i].getValue();
        value(child, child.isObject() || child.isArray() ? rule.field(name) : Rule.PLAIN);
      }
      put('}');
    }

    /**
     * A field name, quoted and escaped. The same few dozen names come thousands of times per
     * record, so the bytes of names up to {@link #MAX_KEPT_NAME} characters are kept, for at most
     * {@link #MAX_NAMES} distinct names (records with ever new keys cannot grow the map).
     */
    private void name(String name) {
      byte[] quoted = NAMES.get(name);
      if (quoted != null) {
        bytes(quoted, 0, quoted.length);
        return;
      }
      if (name.length() > MAX_KEPT_NAME || NAMES.size() >= MAX_NAMES) {
        string(name);
        return;
      }
      // room for the worst case (each character a six-byte escape) keeps it in one piece
      if (buffer.length - used < MAX_KEPT_NAME * MAX_ESCAPE_BYTES + 2) {
        drain();
      }
      int start = used;
      string(name);
      NAMES.putIfAbsent(name, Arrays.copyOfRange(buffer, start, used));
    }

    private void string(String text) {
      put('"');
      // The JDK's encoder, as the reference used it (a lone surrogate becomes '?'); then only the
      // ASCII bytes that Jackson escapes need a look: every byte of a multi-byte character is
      // negative.
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      int run = 0;
      for (int i = 0; i < utf8.length; i++) {
        byte b = utf8[i];
        if (b >= 0 && (b < 0x20 || b == '"' || b == '\\')) {
          bytes(utf8, run, i - run);
          escape((char) b);
          run = i + 1;
        }
      }
      bytes(utf8, run, utf8.length - run);
      put('"');
    }

    private void escape(char c) {
      if (used > buffer.length - MAX_ESCAPE_BYTES) {
        drain();
      }
      buffer[used++] = '\\';
      char shortForm =
          switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
          };
      if (shortForm != 0) {
        buffer[used++] = (byte) shortForm;
        return;
      }
      buffer[used++] = 'u';
      buffer[used++] = '0';
      buffer[used++] = '0';
      buffer[used++] = HEX_DIGITS[c >> 4];
      buffer[used++] = HEX_DIGITS[c & 0xF];
    }

    /** Text that is all ASCII (numbers, literals). */
    private void ascii(String text) {
      for (int i = 0, n = text.length(); i < n; i++) {
        put(text.charAt(i));
      }
    }

    private void raw(String json) {
      byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
      bytes(utf8, 0, utf8.length);
    }

    private void bytes(byte[] bytes, int from, int length) {
      if (length > buffer.length - used) {
        drain();
        if (length > buffer.length) {
          write(bytes, from, length);
          return;
        }
      }
      System.arraycopy(bytes, from, buffer, used, length);
      used += length;
    }

    private void put(int b) {
      if (used == buffer.length) {
        drain();
      }
      buffer[used++] = (byte) b;
    }

    void flush() {
      drain();
    }

    private void drain() {
      write(buffer, 0, used);
      used = 0;
    }

    private void write(byte[] bytes, int from, int length) {
      try {
        target.write(bytes, from, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // the targets are in memory
      }
    }
  }
}
