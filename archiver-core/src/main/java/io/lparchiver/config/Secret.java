package io.lparchiver.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A secret configuration value. Its {@code toString} is masked so it cannot reach a log, an error
 * or a printed config by accident; only {@link #reveal()} gives the value, at the point of use.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  @JsonCreator
  public static Secret of(String value) {
    return new Secret(value == null ? "" : value);
  }

  public String reveal() {
    return value;
  }

  public boolean isBlank() {
    return value.isBlank();
  }

  @JsonValue
  @Override
  public String toString() {
    return value.isEmpty() ? "" : "****";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
