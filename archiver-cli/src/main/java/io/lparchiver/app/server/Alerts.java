package io.lparchiver.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts {@code {"text": ...}} to {@code alerts.webhook} (Slack and Teams incoming webhooks accept
 * it) when the connector becomes failing, when a run dead-letters conversations and when the
 * checkpoint starts to lag more than {@code alerts.maxLag}. Each condition alerts when it appears,
 * not on every run while it lasts. Never throws: a lost alert is logged.
 */
public final class Alerts {

  private static final Logger log = LoggerFactory.getLogger(Alerts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<URI> webhook;
  private final Duration maxLag;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private boolean failing;
  private boolean lagging;

  public Alerts(Optional<URI> webhook, Duration maxLag) {
    this.webhook = webhook;
    this.maxLag = maxLag;
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

  private void post(String text) {
    if (webhook.isEmpty()) {
      return;
    }
    try {
      String body = JSON.createObjectNode().put("text", text).toString();
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(webhook.get())
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        log.warn("Alert webhook answered HTTP {}; alert lost: {}", response.statusCode(), text);
      }
    } catch (java.io.IOException e) {
      log.warn("Alert webhook unreachable ({}); alert lost: {}", e.getMessage(), text);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
