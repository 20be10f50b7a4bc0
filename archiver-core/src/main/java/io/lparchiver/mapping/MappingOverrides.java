package io.lparchiver.mapping;

import io.lparchiver.model.Mailbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's explicit mapping, read from {@code mapping.csv}: a header row {@code
 * participant,mailbox}, then one row per participant (LivePerson user id, pid, login name, consumer
 * id or email). Participants match case-insensitively. Quoted fields follow RFC 4180; blank lines
 * and lines starting with {@code #} are skipped. Immutable.
 */
public final class MappingOverrides {

  private static final List<String> HEADER = List.of("participant", "mailbox");

  private final Map<String, Mailbox> byParticipant;

  private MappingOverrides(Map<String, Mailbox> byParticipant) {
    this.byParticipant = Map.copyOf(byParticipant);
  }

  public static MappingOverrides none() {
    return new MappingOverrides(Map.of());
  }

  /** For tests and programmatic configuration; keys are matched case-insensitively. */
  public static MappingOverrides of(Map<String, Mailbox> byParticipant) {
    Map<String, Mailbox> normalised = new HashMap<>();
    byParticipant.forEach(
        (participant, mailbox) -> normalised.put(normalise(participant), mailbox));
    return new MappingOverrides(normalised);
  }

  /**
   * Reads a mapping CSV (UTF-8).
   *
   * @throws MappingFileException naming the file and line of the first unusable row
   * @throws IOException when the file cannot be read
   */
  public static MappingOverrides load(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    Map<String, Mailbox> rows = new HashMap<>();
    Map<String, Integer> rowLine = new HashMap<>();
    boolean headerSeen = false;
    for (int i = 0; i < lines.size(); i++) {
      int lineNo = i + 1;
      String line = i == 0 ? stripBom(lines.get(i)) : lines.get(i);
      if (line.isBlank() || line.stripLeading().startsWith("#")) {
        continue;
      }
      List<String> fields = fields(csv, lineNo, line);
      if (!headerSeen) {
        requireHeader(csv, lineNo, fields);
        headerSeen = true;
        continue;
      }
      Row row = row(csv, lineNo, fields);
      Mailbox earlier = rows.putIfAbsent(row.participant(), row.mailbox());
      if (earlier != null && !earlier.equals(row.mailbox())) {
        throw new MappingFileException(
            csv,
            lineNo,
            "participant '"
                + row.participant()
                + "' is already mapped to "
                + earlier
                + " on line "
                + rowLine.get(row.participant()));
      }
      rowLine.putIfAbsent(row.participant(), lineNo);
    }
    if (!headerSeen) {
      throw new MappingFileException(csv, 0, "missing header row 'participant,mailbox'");
    }
    return new MappingOverrides(rows);
  }

  /** The mailbox configured for this participant key, if any. */
  public Optional<Mailbox> find(String participant) {
    return participant == null
        ? Optional.empty()
        : Optional.ofNullable(byParticipant.get(normalise(participant)));
  }

  public int size() {
    return byParticipant.size();
  }

  private record Row(String participant, Mailbox mailbox) {}

  private static void requireHeader(Path csv, int lineNo, List<String> fields) {
    List<String> names = fields.stream().map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
    if (!names.equals(HEADER)) {
      throw new MappingFileException(
          csv, lineNo, "expected the header row 'participant,mailbox', found '" + fields + "'");
    }
  }

  private static Row row(Path csv, int lineNo, List<String> fields) {
    if (fields.size() != 2) {
      throw new MappingFileException(
          csv, lineNo, "expected 2 fields (participant,mailbox), found " + fields.size());
    }
    String participant = fields.get(0).strip();
    String mailbox = fields.get(1).strip();
    if (participant.isEmpty()) {
      throw new MappingFileException(csv, lineNo, "participant is empty");
    }
    if (!Mailbox.isValid(mailbox)) {
      throw new MappingFileException(csv, lineNo, "not a mailbox address: '" + mailbox + "'");
    }
    return new Row(normalise(participant), new Mailbox(mailbox));
  }

  /** Splits one CSV line; quoted fields may hold commas and doubled quotes, not line breaks. */
  private static List<String> fields(Path csv, int lineNo, String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
        field.setLength(0);
        quoted = true;
        wasQuoted = true;
      } else if (wasQuoted && !Character.isWhitespace(c)) {
        throw new MappingFileException(
            csv, lineNo, "text after a closing quote at column " + (i + 1));
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new MappingFileException(csv, lineNo, "unterminated quoted field");
    }
    fields.add(field.toString());
    return fields;
  }

  private static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  private static String normalise(String participant) {
    return participant.strip().toLowerCase(Locale.ROOT);
  }
}
