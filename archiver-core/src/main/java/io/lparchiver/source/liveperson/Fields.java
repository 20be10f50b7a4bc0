package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Tolerant reads of LivePerson JSON: sentinel strings ("undefined", "null", "") mean absent,
 * numbers may come as strings, epoch fields ({@code timeL}) win over formatted ones ({@code time}),
 * and an array may be spelled singular or plural.
 */
final class Fields {

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");
  // LivePerson's "2024-05-01 10:00:00.123+0000"
  private static final DateTimeFormatter LP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxx", Locale.ROOT);
  private static final List<DateTimeFormatter> TIME_FORMATS =
      List.of(LP_TIME, DateTimeFormatter.ISO_OFFSET_DATE_TIME);

  private Fields() {}

  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isValueNode() || value.isNull()) {
      return Optional.empty();
    }
    String text = value.asText().strip();
    return isSentinel(text) ? Optional.empty() : Optional.of(text);
  }

  /**
   * "", "undefined" or "null" in any case. Compared letter by letter in ASCII rather than through a
   * lower-cased copy, as every field read did: no character outside ASCII lower-cases (in {@code
   * Locale.ROOT}) to one of their letters, so the answer is the same.
   */
  static boolean isSentinel(String text) {
    return switch (text.length()) {
      case 0 -> true;
      case 4 -> equalsIgnoreAsciiCase(text, "null");
      case 9 -> equalsIgnoreAsciiCase(text, "undefined");
      default -> false;
    };
  }

  /** {@code lowerCase} is ASCII lower case of the same length as {@code text}. */
  private static boolean equalsIgnoreAsciiCase(String text, String lowerCase) {
    for (int i = 0; i < lowerCase.length(); i++) {
      char c = text.charAt(i);
      if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lowerCase.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static String textOr(JsonNode node, String field, String fallback) {
    return text(node, field).orElse(fallback);
  }

  static OptionalLong number(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (value.isIntegralNumber()) {
      return OptionalLong.of(value.longValue());
    }
    if (value.isNumber()) {
      return OptionalLong.of((long) value.doubleValue());
    }
    Optional<String> text = text(node, field);
    if (text.isPresent() && INTEGER.matcher(text.get()).matches()) {
      try {
        return OptionalLong.of(Long.parseLong(text.get()));
      } catch (NumberFormatException e) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.empty();
  }

  /** A time from {@code epochField} (ms, -1 or 0 = none), else from the formatted field. */
  static Optional<Instant> time(JsonNode node, String epochField, String textField) {
    OptionalLong epoch = number(node, epochField);
    if (epoch.isPresent() && epoch.getAsLong() > 0) {
      return Optional.of(Instant.ofEpochMilli(epoch.getAsLong()));
    }
    return text(node, textField).flatMap(Fields::parseTime);
  }

  private static Optional<Instant> parseTime(String text) {
    for (DateTimeFormatter format : TIME_FORMATS) {
      try {
        return Optional.of(OffsetDateTime.parse(text, format).toInstant());
      } catch (DateTimeParseException e) {
        // try the next format
      }
    }
    return Optional.empty();
  }

  static boolean flag(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && (value.asBoolean(false) || "true".equalsIgnoreCase(value.asText()));
  }

  /** The elements of the first of {@code fields} that is an array (or a single object). */
  static List<JsonNode> array(JsonNode node, String... fields) {
    List<JsonNode> out = new ArrayList<>();
    for (String field : fields) {
      JsonNode value = node == null ? null : node.get(field);
      if (value != null && value.isArray()) {
        value.forEach(out::add);
        return out;
      }
      if (value != null && value.isObject()) {
        out.add(value);
        return out;
      }
    }
    return out;
  }

  /** An object child, or a missing node so that chained reads stay null-safe. */
  static JsonNode object(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isObject()
        ? value
        : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** A JSON string kept verbatim; an object or array (not the documented form) as compact JSON. */
  static Optional<String> jsonString(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull() || value.isMissingNode()) {
      return Optional.empty();
    }
    if (value.isTextual()) {
      return value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
    }
    return Optional.of(value.toString());
  }

  /** First present value among fields. */
  static Optional<String> firstText(JsonNode node, String... fields) {
    for (String field : fields) {
      Optional<String> value = text(node, field);
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }
}
