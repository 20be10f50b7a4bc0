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
import java.util.Set;

/**
 * Tolerant reads of LivePerson JSON: sentinel strings ("undefined", "null", "") mean absent,
 * numbers may come as strings, epoch fields ({@code timeL}) win over formatted ones ({@code time}),
 * and an array may be spelled singular or plural.
 */
final class Fields {

  private static final Set<String> SENTINELS = Set.of("", "undefined", "null");
  // LivePerson's "2024-05-01 10:00:00.123+0000"
  private static final DateTimeFormatter LP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSxx", Locale.ROOT);

  private Fields() {}

  static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isValueNode() || value.isNull()) {
      return Optional.empty();
    }
    String text = value.asText().strip();
    return SENTINELS.contains(text.toLowerCase(Locale.ROOT)) ? Optional.empty() : Optional.of(text);
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
    if (text.isPresent() && text.get().matches("-?[0-9]{1,19}")) {
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
    for (DateTimeFormatter format : List.of(LP_TIME, DateTimeFormatter.ISO_OFFSET_DATE_TIME)) {
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
