package io.lparchiver.config;

import java.util.List;
import java.util.Optional;

/**
 * One configuration key: the single definition that the loader validates against and that
 * docs/configuration.md is generated from.
 *
 * @param path dotted YAML path, e.g. {@code source.liveperson.account}
 * @param type value type
 * @param defaultValue the default as written in YAML, empty when required or absent by default
 * @param required whether the key must be present
 * @param doc what it means and how to choose a value
 * @param allowed allowed values for {@link Type#ENUM} and {@link Type#ENUM_LIST}
 */
public record ConfigKey(
    String path,
    Type type,
    Optional<String> defaultValue,
    boolean required,
    String doc,
    List<String> allowed) {

  /** Value types, each parsed in one place by the loader. */
  public enum Type {
    STRING,
    INTEGER,
    SECRET,
    URI,
    INSTANT,
    DURATION,
    PATH,
    MAILBOX,
    MAILBOX_LIST,
    HOST_LIST,
    ENUM,
    ENUM_LIST;

    public String label() {
      return switch (this) {
        case STRING -> "string";
        case INTEGER -> "positive whole number";
        case SECRET -> "secret string (printed masked; use ${ENV})";
        case URI -> "URL";
        case INSTANT -> "ISO-8601 instant, e.g. 2025-11-01T00:00:00Z";
        case DURATION -> "duration: 90s, 15m, 1h, 2d or ISO-8601 (PT15M)";
        case PATH -> "path (relative to the config file's folder)";
        case MAILBOX -> "email address";
        case MAILBOX_LIST -> "list of email addresses";
        case HOST_LIST -> "list of host names or addresses";
        case ENUM -> "one of";
        case ENUM_LIST -> "list, each one of";
      };
    }
  }

  static ConfigKey required(String path, Type type, String doc) {
    return new ConfigKey(path, type, Optional.empty(), true, doc, List.of());
  }

  static ConfigKey optional(String path, Type type, String doc) {
    return new ConfigKey(path, type, Optional.empty(), false, doc, List.of());
  }

  static ConfigKey withDefault(String path, Type type, String defaultValue, String doc) {
    return new ConfigKey(path, type, Optional.of(defaultValue), false, doc, List.of());
  }

  static ConfigKey choice(
      String path, Type type, String defaultValue, List<String> allowed, String doc) {
    return new ConfigKey(path, type, Optional.of(defaultValue), false, doc, allowed);
  }
}
