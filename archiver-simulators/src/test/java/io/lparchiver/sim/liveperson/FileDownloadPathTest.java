package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Login Service, messaging websocket and swift host over real loopback HTTP and WebSocket. */
class FileDownloadPathTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicReference<Instant> now = new AtomicReference<>(Fixtures.END);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now.get();
        }
      };
  private LivePersonSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private LivePersonSimulator start(FileFaults faults) {
    sim =
        LivePersonSimulator.builder()
            .dataSet(SeededDataSet.generate(new DataSetSpec(60, 5, 9, Fixtures.END, 30)))
            .clock(clock)
            .fileFaults(faults)
            .build()
            .start();
    return sim;
  }

  @Test
  void loginSignAndDownloadServesTheSeededBytesUntilTheUrlExpires() throws Exception {
    start(FileFaults.none());
    String path = sim.hostedFilePaths().get(0);
    assertThat(sim.hostedFilePaths()).hasSizeGreaterThan(3);

    JsonNode signed = sign(login(), path);
    assertThat(signed.path("kind").asText()).isEqualTo("resp");
    assertThat(signed.path("reqId").asText()).isEqualTo("7");
    assertThat(signed.path("code").asInt()).isEqualTo(200);
    assertThat(signed.path("type").asText()).isEqualTo("ms.BaseGenerateURLResponse");
    JsonNode q = signed.path("body").path("queryParams");
    assertThat(q.path("temp_url_sig").asText()).matches("[0-9a-f]{40}");
    long expires = Long.parseLong(q.path("temp_url_expires").asText());
    assertThat(expires).isEqualTo(Fixtures.END.getEpochSecond() + 60);

    HttpResponse<byte[]> ok = download(path, q);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(sim.hostedFileContent(path));
    assertThat(ok.headers().firstValue("content-type"))
        .contains(LivePersonSimulator.hostedFileContentType(path));

    now.set(Fixtures.END.plusSeconds(61));
    HttpResponse<byte[]> expired = download(path, q);
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(sim.fileCounters().refusedExpired()).isEqualTo(1);
  }

  @Test
  void aForgedSignatureOrAnotherPathIsRefused() throws Exception {
    start(FileFaults.none());
    List<String> paths = sim.hostedFilePaths();
    JsonNode q = sign(login(), paths.get(0)).path("body").path("queryParams");
    assertThat(download(paths.get(1), q).statusCode()).isEqualTo(401);
    String forged =
        "{\"temp_url_sig\":\""
            + "0".repeat(40)
            + "\",\"temp_url_expires\":\""
            + q.path("temp_url_expires").asText()
            + "\"}";
    assertThat(download(paths.get(0), JSON.readTree(forged)).statusCode()).isEqualTo(401);
    assertThat(sim.fileCounters().refusedInvalid()).isEqualTo(2);
    JsonNode otherAccount = sign(login(), "/v1/AUTH_async-images/999/x.PNG");
    assertThat(otherAccount.path("code").asInt()).isEqualTo(403);
    assertThat(otherAccount.path("body").asText()).isEqualTo("Agent not allowed");
  }

  @Test
  void faultsExpireTheFirstUrlAndRemoveFiles() throws Exception {
    start(new FileFaults(true, 1));
    String gone = sim.hostedFilePaths().get(0);
    String kept = sim.hostedFilePaths().get(1);
    assertThat(sim.removedHostedFiles()).containsExactly(gone);
    String bearer = login();

    JsonNode first = sign(bearer, kept).path("body").path("queryParams");
    assertThat(download(kept, first).statusCode()).isEqualTo(401);
    JsonNode second = sign(bearer, kept).path("body").path("queryParams");
    assertThat(download(kept, second).statusCode()).isEqualTo(200);

    sign(bearer, gone); // spends the expired first URL
    JsonNode goneUrl = sign(bearer, gone).path("body").path("queryParams");
    assertThat(download(gone, goneUrl).statusCode()).isEqualTo(404);

    sim.removeHostedFile(kept);
    JsonNode third = sign(bearer, kept).path("body").path("queryParams");
    assertThat(download(kept, third).statusCode()).isEqualTo(404);
  }

  @Test
  void wrongPasswordIs401AndAnUnknownBearerCannotOpenTheWebsocket() throws Exception {
    start(FileFaults.none());
    HttpResponse<String> bad =
        post("/login?v=1.3", "{\"username\":\"lp-archiver-files\",\"password\":\"nope\"}", "");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).doesNotContain("nope");
    assertThatThrownBy(() -> sign("not-a-bearer", sim.hostedFilePaths().get(0)))
        .isInstanceOf(ExecutionException.class);

    String bearer = login();
    sim.endLoginSessions();
    assertThatThrownBy(() -> sign(bearer, sim.hostedFilePaths().get(0)))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void refreshNeedsTheCsrfTokenAndTheCookie() throws Exception {
    start(FileFaults.none());
    HttpResponse<String> login = loginResponse();
    JsonNode body = JSON.readTree(login.body());
    String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    String bearer = body.path("bearer").asText();
    String csrf = body.path("csrf").asText();
    assertThat(body.path("config").path("userId").asText()).isNotEmpty();

    HttpResponse<String> wrong = refresh(bearer, "{\"csfr\":\"" + csrf + "\"}", cookie);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("CSRF token invalid");
    assertThat(refresh(bearer, "{\"csrf\":\"" + csrf + "\"}", cookie).statusCode()).isEqualTo(200);
    assertThat(sim.fileCounters().refreshes()).isEqualTo(1);
  }

  private HttpResponse<String> refresh(String bearer, String body, String cookie) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(sim.domainApiUri() + "/api/account/" + Fixtures.ACCOUNT + "/refresh"))
            .header("Authorization", "Bearer " + bearer)
            .header("Cookie", cookie)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String login() throws Exception {
    HttpResponse<String> r = loginResponse();
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).path("bearer").asText();
  }

  private HttpResponse<String> loginResponse() throws Exception {
    AgentLogin a = sim.agentLogin();
    return post(
        "/login?v=1.3",
        "{\"username\":\"" + a.username() + "\",\"password\":\"" + a.password() + "\"}",
        "");
  }

  private HttpResponse<String> post(String suffix, String body, String cookie) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(sim.domainApiUri() + "/api/account/" + Fixtures.ACCOUNT + suffix))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!cookie.isEmpty()) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode sign(String bearer, String path) throws Exception {
    String host = service("asyncMessagingEnt");
    CompletableFuture<String> answer = new CompletableFuture<>();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(
                    "ws://"
                        + host
                        + "/ws_api/account/"
                        + Fixtures.ACCOUNT
                        + "/messaging/brand/"
                        + bearer
                        + "?v=2"),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(
                      WebSocket webSocket, CharSequence data, boolean last) {
                    answer.complete(data.toString());
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    try {
      ws.sendText(
              "{\"kind\":\"req\",\"id\":\"7\",\"type\":\"ms.GenerateURLForDownloadFile\","
                  + "\"body\":{\"relativePath\":\""
                  + path
                  + "\"}}",
              true)
          .get(10, TimeUnit.SECONDS);
      return JSON.readTree(answer.get(5, TimeUnit.SECONDS));
    } finally {
      ws.abort();
    }
  }

  private String service(String name) throws Exception {
    return Fixtures.serviceHost(http, sim, name);
  }

  private HttpResponse<byte[]> download(String path, JsonNode q) throws Exception {
    URI uri =
        URI.create(
            "http://"
                + service("swift")
                + path
                + "?temp_url_sig="
                + q.path("temp_url_sig").asText()
                + "&temp_url_expires="
                + q.path("temp_url_expires").asText());
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
