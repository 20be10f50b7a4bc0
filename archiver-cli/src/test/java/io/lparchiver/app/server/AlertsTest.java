package io.lparchiver.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Alerts against a loopback webhook receiver. */
class AlertsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private HttpServer receiver;
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private Alerts alerts;

  @BeforeEach
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          try (ex) {
            texts.add(
                JSON.readTree(
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .get("text")
                    .asText());
            ex.sendResponseHeaders(200, -1);
          }
        });
    receiver.start();
    URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    alerts = new Alerts(Optional.of(hook), Duration.ofHours(2));
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  @Test
  void alertsWhenAConditionAppearsNotWhileItLasts() {
    alerts.afterRun(Optional.empty(), 0, Optional.of(Duration.ofMinutes(5)));
    assertThat(texts).isEmpty();

    alerts.afterRun(Optional.of("LivePerson: 401"), 0, Optional.empty());
    alerts.afterRun(Optional.of("LivePerson: 401"), 0, Optional.empty());
    assertThat(texts).containsExactly("lp-archiver: the run failed: LivePerson: 401");

    alerts.afterRun(Optional.empty(), 2, Optional.of(Duration.ofHours(3)));
    alerts.afterRun(Optional.empty(), 0, Optional.of(Duration.ofHours(4)));
    assertThat(texts).hasSize(3);
    assertThat(texts.get(1)).startsWith("lp-archiver: 2 conversation(s) dead-lettered");
    assertThat(texts.get(2)).contains("lags 3h 0m").contains("alerts.maxLag (2h 0m)");
  }

  @Test
  void anUnreachableWebhookLosesTheAlertButNotTheRun() {
    receiver.stop(0);
    alerts.afterRun(Optional.of("boom"), 1, Optional.empty());
    assertThat(texts).isEmpty();
  }
}
