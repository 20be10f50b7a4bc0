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
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated messaging websocket's protocol, through the JDK's websocket client (the archiver's
 * own): every request on one connection answered in order, fragments joined, pings answered, the
 * handshake refused with the status a client can act on, and ended sessions closed with 4401.
 */
class MessagingWebSocketTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private LivePersonSimulator sim;
  private String path;

  @BeforeEach
  void start() {
    sim =
        LivePersonSimulator.builder()
            .dataSet(SeededDataSet.generate(new DataSetSpec(20, 5, 5, Fixtures.END, 30)))
            .fileFaults(FileFaults.none())
            .build()
            .start();
    path = sim.hostedFilePaths().get(0);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void everyRequestOnOneConnectionIsAnsweredInOrder() throws Exception {
    Client client = connect(login());
    int requests = 2000;
    for (int i = 1; i <= requests; i++) {
      client.ws.sendText(request(Integer.toString(i), path), true).get(5, TimeUnit.SECONDS);
      JsonNode answer = JSON.readTree(client.next());
      assertThat(answer.path("reqId").asText()).isEqualTo(Integer.toString(i));
      assertThat(answer.path("code").asInt()).isEqualTo(200);
    }
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(requests);
    client.ws.abort();
  }

  @Test
  void aFragmentedRequestIsJoinedAndAPingGetsItsPong() throws Exception {
    Client client = connect(login());
    String request = request("frag", path);
    int half = request.length() / 2;
    client.ws.sendText(request.substring(0, half), false).get(5, TimeUnit.SECONDS);
    client.ws.sendText(request.substring(half), true).get(5, TimeUnit.SECONDS);
    assertThat(JSON.readTree(client.next()).path("reqId").asText()).isEqualTo("frag");

    client.ws.sendPing(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(5, TimeUnit.SECONDS);
    assertThat(client.pong.get(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);

    client.ws.sendText("{\"kind\":\"req\",\"id\":\"x\",\"type\":\"ms.Other\"}", true);
    JsonNode refused = JSON.readTree(client.next());
    assertThat(refused.path("code").asInt()).isEqualTo(400);
    assertThat(refused.path("type").asText()).isEqualTo("ms.GenericError");
    client.ws.abort();
  }

  @Test
  void theHandshakeIsRefusedWith401ForAnUnknownBearerAnd404ForAnotherAccount() throws Exception {
    assertThat(handshakeStatus(url(Fixtures.ACCOUNT, "not-a-bearer"))).isEqualTo(401);
    assertThat(handshakeStatus(url("99999999", login()))).isEqualTo(404);
  }

  @Test
  void endedSessionsCloseTheirConnectionsWith4401() throws Exception {
    Client client = connect(login());
    sim.endLoginSessions();
    assertThat(client.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4401);
  }

  private int handshakeStatus(URI uri) {
    Throwable failure =
        assertThatThrownBy(
                () ->
                    http.newWebSocketBuilder()
                        .buildAsync(uri, new WebSocket.Listener() {})
                        .get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .actual()
            .getCause();
    assertThat(failure).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) failure).getResponse().statusCode();
  }

  private Client connect(String bearer) throws Exception {
    Client client = new Client();
    client.ws =
        http.newWebSocketBuilder()
            .buildAsync(url(Fixtures.ACCOUNT, bearer), client)
            .get(5, TimeUnit.SECONDS);
    return client;
  }

  private URI url(String account, String bearer) throws Exception {
    String host = Fixtures.serviceHost(http, sim, "asyncMessagingEnt");
    return URI.create(
        "ws://" + host + "/ws_api/account/" + account + "/messaging/brand/" + bearer + "?v=2");
  }

  private String login() throws Exception {
    AgentLogin a = sim.agentLogin();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        sim.domainApiUri() + "/api/account/" + Fixtures.ACCOUNT + "/login?v=1.3"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\""
                            + a.username()
                            + "\",\"password\":\""
                            + a.password()
                            + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body()).path("bearer").asText();
  }

  private static String request(String id, String relativePath) {
    return "{\"kind\":\"req\",\"id\":\""
        + id
        + "\",\"type\":\"ms.GenerateURLForDownloadFile\",\"body\":{\"relativePath\":\""
        + relativePath
        + "\"}}";
  }

  /** Collects whole text messages, the pong and the close code. */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<byte[]> pong = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    WebSocket ws;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        messages.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      byte[] bytes = new byte[message.remaining()];
      message.get(bytes);
      pong.complete(bytes);
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    String next() throws InterruptedException {
      String m = messages.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("an answer within 5 s").isNotNull();
      return m;
    }
  }
}
