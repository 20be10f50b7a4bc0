package io.lparchiver.app.server;

import io.lparchiver.config.ArchiverConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people through {@code alerts.webhook} and {@code alerts.email} when the connector becomes
 * failing, when a run dead-letters conversations, when the checkpoint starts to lag more than
 * {@code alerts.maxLag}, and when a whole UTC day passed with no items (the Microsoft 365
 * connector's "No items ingested on ..." warning). Each condition alerts when it appears, not on
 * every run while it lasts. Never throws: a lost alert is logged.
 */
public final class Alerts {

  private static final Logger log = LoggerFactory.getLogger(Alerts.class);

  private final List<AlertChannel> channels;
  private final Duration maxLag;
  private boolean failing;
  private boolean lagging;
  private Optional<LocalDate> lastQuietDay = Optional.empty();

  /** Webhook only (tests and callers without email). */
  public Alerts(Optional<URI> webhook, Duration maxLag) {
    this(
        webhook.map(w -> (AlertChannel) new WebhookChannel(w, httpClient())).stream().toList(),
        maxLag);
  }

  Alerts(List<AlertChannel> channels, Duration maxLag) {
    this.channels = List.copyOf(channels);
    this.maxLag = maxLag;
  }

  /** Every configured channel. */
  public static Alerts from(ArchiverConfig.Alerts config, Clock clock) {
    List<AlertChannel> channels = new ArrayList<>();
    config.webhook().ifPresent(w -> channels.add(new WebhookChannel(w, httpClient())));
    if (config.email().enabled()) {
      channels.add(new EmailChannel(config.email(), clock));
    }
    return new Alerts(channels, config.maxLag());
  }

  private static HttpClient httpClient() {
    return io.lparchiver.tls.TlsTrust.httpClient().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Called on the sync thread after each run. */
  public synchronized void afterRun(
      Optional<String> failure, int newDeadLetters, Optional<Duration> lag) {
    if (failure.isPresent() && !failing) {
      post("lp-archiver: the run failed: " + failure.get());
    }
    failing = failure.isPresent();
    if (newDeadLetters > 0) {
      post(
          "lp-archiver: "
              + newDeadLetters
              + " conversation(s) dead-lettered; see the status page and press Retry once fixed");
    }
    boolean lagsNow = lag.isPresent() && lag.get().compareTo(maxLag) > 0;
    if (lagsNow && !lagging) {
      post(
          "lp-archiver: the checkpoint lags "
              + Format.duration(lag.get())
              + ", more than alerts.maxLag ("
              + Format.duration(maxLag)
              + ")");
    }
    lagging = lagsNow;
  }

  /**
   * Alerts once for {@code day} when it was watched from its start ({@code watchedSince} at or
   * before it) and no conversation was read that whole day.
   */
  public synchronized void afterDay(LocalDate day, long itemsFound, Instant watchedSince) {
    boolean watchedWholeDay = !watchedSince.isAfter(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    if (itemsFound > 0 || !watchedWholeDay || lastQuietDay.filter(day::equals).isPresent()) {
      return;
    }
    lastQuietDay = Optional.of(day);
    post(
        "lp-archiver: No items ingested on "
            + day
            + " (UTC): no conversation was read from LivePerson that day; check that the account"
            + " had traffic and that the app key still has its permissions");
  }

  private void post(String text) {
    for (AlertChannel channel : channels) {
      try {
        channel.send(text);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("Alert {} failed ({}); alert lost: {}", channel.describe(), e.getMessage(), text);
      }
    }
  }
}
