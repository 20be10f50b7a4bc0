package io.lparchiver.deliver.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.lparchiver.deliver.DeliveryException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An Entra ID token endpoint that sends its headers and part of the token, then nothing: the
 * request timeout covers only the headers, so without a bound on the whole exchange a sync would
 * wait for the rest of the token forever.
 */
class TokenEndpointStallTest {

  @Test
  void aTokenAnswerThatStallsMidBodyFailsRetriablyNamingTheTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger asked = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          asked.incrementAndGet();
          byte[] start =
              "{\"token_type\":\"Bearer\",\"access_token\":\"".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, 4096);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(start);
            out.flush();
            release.await(20, TimeUnit.SECONDS); // held until the test ends
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    try {
      URI authority = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      GraphSettings settings =
          new GraphSettings(
              "tenant-1",
              "client-1",
              new GraphCredential.ClientSecret("not-a-real-secret"),
              authority,
              URI.create("http://127.0.0.1:1/v1.0"),
              "Archive",
              Duration.ofMillis(400),
              1,
              Duration.ofSeconds(1),
              Duration.ofMillis(10));
      ClientCredentialsTokenProvider tokens =
          new ClientCredentialsTokenProvider(
              settings, HttpClient.newHttpClient(), Clock.systemUTC());

      assertThatThrownBy(tokens::accessToken)
          .isInstanceOf(DeliveryException.class)
          .hasMessageContaining("token endpoint")
          .hasMessageContaining("no complete answer within 400 ms (the Graph request timeout)")
          .hasMessageNotContaining("not-a-real-secret")
          .satisfies(e -> assertThat(((DeliveryException) e).retriable()).isTrue());
      assertThat(asked.get()).as("each stalled attempt abandoned, then retried").isEqualTo(3);
    } finally {
      release.countDown();
      server.stop(0);
    }
  }
}
