package io.lparchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of {@code run}: schedule, server and alerts. */
class OperationsKeysTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
  private static final Map<String, String> ENV =
      Map.of(
          "LP_CONSUMER_KEY", "k",
          "LP_CONSUMER_SECRET", "s",
          "LP_TOKEN", "t",
          "LP_TOKEN_SECRET", "ts",
          "STATUS_TOKEN", "tok-very-secret");
  private final ConfigLoader loader = new ConfigLoader(ENV::get, CLOCK);

  private ArchiverConfig parse(String extra) {
    return loader.parse(ConfigReference.EXAMPLE + "\n" + extra, Path.of("/tmp"));
  }

  @Test
  void defaultsNeedNoTokenNoCronAndNoWebhook() {
    ArchiverConfig cfg = parse("");
    assertThat(cfg.schedule().cron()).isEmpty();
    assertThat(cfg.server().token()).isEmpty();
    assertThat(cfg.alerts().webhook()).isEmpty();
    assertThat(cfg.alerts().maxLag()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void readsCronTokenAndAlertsAndMasksTheToken() {
    ArchiverConfig cfg =
        loader.parse(
            ConfigReference.EXAMPLE
                + "schedule:\n  cron: \"*/5 * * * *\"\n"
                + "server:\n  token: ${STATUS_TOKEN}\n"
                + "alerts:\n  webhook: http://127.0.0.1:9/hook\n  maxLag: 30m\n",
            Path.of("/tmp"));
    assertThat(cfg.schedule().cron()).map(Object::toString).contains("*/5 * * * *");
    assertThat(cfg.server().token().orElseThrow().reveal()).isEqualTo("tok-very-secret");
    assertThat(cfg.toString()).doesNotContain("tok-very-secret");
    assertThat(cfg.alerts().webhook()).contains(URI.create("http://127.0.0.1:9/hook"));
    assertThat(cfg.alerts().maxLag()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aBadCronNamesTheKey() {
    assertThatThrownBy(
            () ->
                loader.parse(
                    ConfigReference.EXAMPLE + "schedule:\n  cron: \"every minute\"\n",
                    Path.of("/tmp")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schedule.cron");
  }
}
