package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Real HTTP to the simulator, signed by the test signer. */
final class SimClient {
  static final ObjectMapper JSON = new ObjectMapper();

  record Reply(int status, String body, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException(body, e);
      }
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final LivePersonSimulator sim;
  private final TestOAuth1Signer signer;

  SimClient(LivePersonSimulator sim, SimulatorCredentials credentials) {
    this.sim = sim;
    this.signer = new TestOAuth1Signer(credentials);
  }

  SimClient(LivePersonSimulator sim) {
    this(sim, SimulatorCredentials.demo());
  }

  URI uri(String pathAndQuery) {
    return URI.create(sim.domainApiUri() + pathAndQuery);
  }

  Reply get(String pathAndQuery) throws IOException, InterruptedException {
    return get(pathAndQuery, Map.of());
  }

  Reply get(String pathAndQuery, Map<String, String> headers)
      throws IOException, InterruptedException {
    URI uri = uri(pathAndQuery);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", signer.authorization("GET", uri))
            .GET();
    headers.forEach(b::header);
    return send(b.build());
  }

  Reply getUnsigned(String pathAndQuery) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
  }

  Reply post(String pathAndQuery, String body) throws IOException, InterruptedException {
    URI uri = uri(pathAndQuery);
    return send(
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", signer.authorization("POST", uri))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  Reply postWithAuthorization(String pathAndQuery, String body, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.build());
  }

  String authorization(String method, String pathAndQuery) {
    return signer.authorization(method, uri(pathAndQuery));
  }

  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body(), r);
  }
}
