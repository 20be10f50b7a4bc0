package io.lparchiver.mapping;

/** Which rule mapped a participant; the label is what {@code MappingDecision.rule} records. */
public enum MappingRule {
  CSV("csv"),
  USERS_API("users-api"),
  CONSUMER_EMAIL("consumer-email"),
  FALLBACK("fallback"),
  ALWAYS_COPY("always-copy"),
  NONE("none");

  private final String label;

  MappingRule(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
