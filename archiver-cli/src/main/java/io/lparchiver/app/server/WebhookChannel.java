package io.lparchiver.app.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code alerts.webhook}: a JSON POST {@code {"text": ...}}, which Slack and Teams accept. */
final class WebhookChannel implements AlertChannel {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI webhook;
  private final HttpClient http;

  WebhookChannel(URI webhook, HttpClient http) {
    this.webhook = webhook;
    this.http = http;
  }

  @Override
  public void send(String text) throws IOException, InterruptedException {
    String body = JSON.createObjectNode().put("text", text).toString();
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(webhook)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("answered HTTP " + response.statusCode());
    }
  }

  @Override
  public String describe() {
    // a webhook URL is often its own credential (Slack, Teams): show the host only
    return "webhook on " + webhook.getHost();
  }
}
