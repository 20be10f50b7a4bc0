package io.lparchiver.sim.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator rejects what Graph rejects, independently of the core client. */
class GraphSimulatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private GraphSimulator sim;
  private String token;

  @BeforeEach
  void start() throws Exception {
    sim =
        GraphSimulator.builder()
            .user(GraphUser.of("ann@x.example", "alias@x.example"))
            .build()
            .start();
    token =
        JSON.readTree(tokenRequest("client_secret=" + GraphSimulator.DEMO_CLIENT_SECRET).body())
            .path("access_token")
            .asText();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private HttpResponse<String> tokenRequest(String credential) throws Exception {
    String form =
        "client_id="
            + sim.clientId()
            + "&scope="
            + enc("https://graph.microsoft.com/.default")
            + "&grant_type=client_credentials&"
            + credential;
    return http.send(
        HttpRequest.newBuilder(
                URI.create(sim.authority() + "/" + sim.tenantId() + "/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .header("Authorization", "Bearer " + token);
    b.header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String code(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).path("error").path("code").asText();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void tokensAreCheckedAndErrorsUseTheOAuthShape() throws Exception {
    HttpResponse<String> bad = tokenRequest("client_secret=nope");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(bad.body()).path("error").asText()).isEqualTo("invalid_client");
    token = "made-up";
    HttpResponse<String> r =
        call("GET", "/users/ann@x.example/mailFolders/inbox/childFolders", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(code(r)).isEqualTo("InvalidAuthenticationToken");
    assertThat(r.headers().firstValue("request-id")).isPresent();
  }

  @Test
  void createMessageRejectsWhatGraphRejects() throws Exception {
    String path = "/users/ann@x.example/mailFolders/inbox/messages";
    HttpResponse<String> noType =
        call(
            "POST",
            path,
            "{\"subject\":\"s\",\"attachments\":[{\"name\":\"a\",\"contentBytes\":\"AA==\"}]}");
    assertThat(noType.statusCode()).isEqualTo(422);
    assertThat(code(noType)).isEqualTo("UnprocessableType");
    HttpResponse<String> header =
        call(
            "POST", path, "{\"internetMessageHeaders\":[{\"name\":\"Received\",\"value\":\"x\"}]}");
    assertThat(code(header)).isEqualTo("InvalidInternetMessageHeader");
    StringBuilder six = new StringBuilder("{\"internetMessageHeaders\":[");
    for (int i = 0; i < 6; i++) {
      six.append(i == 0 ? "" : ",")
          .append("{\"name\":\"X-H")
          .append(i)
          .append("\",\"value\":\"v\"}");
    }
    assertThat(code(call("POST", path, six + "]}")))
        .isEqualTo("InvalidInternetMessageHeaderCollection");
    HttpResponse<String> prop =
        call(
            "POST",
            path,
            "{\"singleValueExtendedProperties\":[{\"id\":\"String LpKey\",\"value\":\"v\"}]}");
    assertThat(prop.statusCode()).isEqualTo(400);
    String big =
        "{\"body\":{\"contentType\":\"text\",\"content\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}}";
    assertThat(call("POST", path, big).statusCode()).isEqualTo(413);
  }

  @Test
  void flagsDecideDraftAndDatesComeFromMapiProperties() throws Exception {
    String path = "/users/ann@x.example/mailFolders/inbox/messages";
    call("POST", path, "{\"subject\":\"draft\"}");
    call(
        "POST",
        path,
        "{\"subject\":\"received\",\"singleValueExtendedProperties\":[{\"id\":\"Integer 0x0E07\",\"value\":\"1\"},"
            + "{\"id\":\"SystemTime 0x0E06\",\"value\":\"2024-05-01T10:15:00Z\"}]}");
    List<StoredMessage> stored = sim.mailbox("ann@x.example").orElseThrow().messages();
    assertThat(stored)
        .extracting(StoredMessage::subject, StoredMessage::isDraft)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("draft", true),
            org.assertj.core.groups.Tuple.tuple("received", false));
    assertThat(
            stored.stream().filter(m -> !m.isDraft()).findFirst().orElseThrow().receivedDateTime())
        .isEqualTo(java.time.Instant.parse("2024-05-01T10:15:00Z"));
  }

  @Test
  void duplicateFolderIsAConflictAndFilterFindsIt() throws Exception {
    String path = "/users/ann@x.example/mailFolders/inbox/childFolders";
    assertThat(call("POST", path, "{\"displayName\":\"Archive It\"}").statusCode()).isEqualTo(201);
    HttpResponse<String> again = call("POST", path, "{\"displayName\":\"Archive It\"}");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(code(again)).isEqualTo("ErrorFolderExists");
    HttpResponse<String> found =
        call("GET", path + "?$filter=" + enc("displayName eq 'Archive It'"), null);
    assertThat(JSON.readTree(found.body()).path("value")).hasSize(1);
  }

  private static final String KEY = "String {6B1D4C3E-8A2F-4F51-9C7E-2D0A5E9B7F13} Name Key";

  @Test
  void aFolderListsInPagesWithOnlyTheSelectedFieldsAndTheExpandedProperty() throws Exception {
    String path = "/users/ann@x.example/mailFolders/inbox/messages";
    for (int i = 0; i < 23; i++) {
      String props =
          i == 5
              ? "" // an item someone else put there: no key property
              : ",\"singleValueExtendedProperties\":[{\"id\":\""
                  + KEY
                  + "\",\"value\":\"<k"
                  + i
                  + ">\"},{\"id\":\"Integer 0x0E07\",\"value\":\"1\"}]";
      assertThat(call("POST", path, "{\"subject\":\"s" + i + "\"" + props + "}").statusCode())
          .isEqualTo(201);
    }
    String query =
        "?$select=id&$top=10&$expand="
            + enc("singleValueExtendedProperties($filter=id eq '" + KEY + "')");
    List<String> keys = new ArrayList<>();
    int pages = 0;
    int items = 0;
    String next = sim.baseUrl() + path + query;
    while (next != null) {
      HttpResponse<String> page = getUrl(next);
      assertThat(page.statusCode()).isEqualTo(200);
      JsonNode body = JSON.readTree(page.body());
      pages++;
      for (JsonNode m : body.path("value")) {
        items++;
        assertThat(m.path("id").asText()).isNotBlank();
        assertThat(m.has("subject")).as("$select=id leaves the subject out").isFalse();
        assertThat(m.has("body")).isFalse();
        for (JsonNode p : m.path("singleValueExtendedProperties")) {
          assertThat(p.path("id").asText()).as("only the expanded property").isEqualTo(KEY);
          keys.add(p.path("value").asText());
        }
      }
      next = body.path("@odata.nextLink").asText(null);
    }
    assertThat(pages).isEqualTo(3);
    assertThat(items).isEqualTo(23);
    assertThat(keys).hasSize(22).doesNotHaveDuplicates().contains("<k0>", "<k22>");
    // without $top: the default page (Graph's 10)
    assertThat(JSON.readTree(call("GET", path, null).body()).path("value")).hasSize(10);
    // every page is a mailbox request: it counts against the mailbox's limits
    assertThat(sim.traffic().requests()).isEqualTo(23 + 3 + 1);
    // the folder says how many items it holds
    JsonNode inbox =
        JSON.readTree(
                call(
                        "GET",
                        "/users/ann@x.example/mailFolders/msgfolderroot/childFolders?"
                            + "$filter="
                            + enc("displayName eq 'Inbox'"),
                        null)
                    .body())
            .path("value")
            .path(0);
    assertThat(inbox.path("totalItemCount").asLong()).isEqualTo(23);
  }

  @Test
  void aPageLargerThanGraphAllowsIsRefused() throws Exception {
    String path = "/users/ann@x.example/mailFolders/inbox/messages";
    assertThat(call("GET", path + "?$top=1000", null).statusCode()).isEqualTo(200);
    for (String top : List.of("1001", "0", "ten")) {
      HttpResponse<String> r = call("GET", path + "?$top=" + top, null);
      assertThat(r.statusCode()).as("$top=" + top).isEqualTo(400);
      assertThat(code(r)).isEqualTo("ErrorInvalidUrlQuery");
    }
  }

  @Test
  void listPagesSpendTheMailboxRequestBudget() throws Exception {
    sim.close();
    sim =
        GraphSimulator.builder()
            .user(GraphUser.of("ann@x.example"))
            .requestBudget(4, Duration.ofMinutes(10))
            .build()
            .start();
    token =
        JSON.readTree(tokenRequest("client_secret=" + GraphSimulator.DEMO_CLIENT_SECRET).body())
            .path("access_token")
            .asText();
    String path = "/users/ann@x.example/mailFolders/inbox/messages";
    call("POST", path, "{\"subject\":\"a\"}");
    call("POST", path, "{\"subject\":\"b\"}");
    HttpResponse<String> first = call("GET", path + "?$top=1&$select=id", null);
    String next = JSON.readTree(first.body()).path("@odata.nextLink").asText();
    assertThat(getUrl(next).statusCode()).isEqualTo(200);
    HttpResponse<String> over = call("GET", path + "?$top=1&$select=id", null);
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(over.headers().firstValue("Retry-After")).isPresent();
    assertThat(sim.budgetRejections()).isEqualTo(1);
  }

  private HttpResponse<String> getUrl(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void uploadSessionsEnforceSizeOrderAndNoToken() throws Exception {
    String created =
        call("POST", "/users/ann@x.example/mailFolders/inbox/messages", "{\"subject\":\"big\"}")
            .body();
    String id = JSON.readTree(created).path("id").asText();
    String sessions = "/users/ann@x.example/messages/" + id + "/attachments/createUploadSession";
    HttpResponse<String> small =
        call(
            "POST",
            sessions,
            "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"a\",\"size\":1000}}");
    assertThat(code(small)).isEqualTo("ErrorAttachmentSizeShouldNotBeLessThanMinimumSize");
    int size = 4_000_000;
    JsonNode session =
        JSON.readTree(
            call(
                    "POST",
                    sessions,
                    "{\"AttachmentItem\":{\"attachmentType\":\"file\",\"name\":\"a.bin\",\"size\":"
                        + size
                        + "}}")
                .body());
    URI upload = URI.create(session.path("uploadUrl").asText());
    byte[] chunk = new byte[320 * 1024 * 3];
    assertThat(put(upload, chunk, 0, size, true).statusCode())
        .as("token on the uploadUrl")
        .isEqualTo(401);
    assertThat(put(upload, new byte[1000], 0, size, false).statusCode())
        .as("not a 320 KiB multiple")
        .isEqualTo(400);
    assertThat(put(upload, chunk, chunk.length, size, false).statusCode())
        .as("out of order")
        .isEqualTo(416);
    HttpResponse<String> first = put(upload, chunk, 0, size, false);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).path("nextExpectedRanges").get(0).asText())
        .isEqualTo(chunk.length + "-");
    HttpResponse<String> last =
        put(upload, new byte[size - chunk.length], chunk.length, size, false);
    assertThat(last.statusCode()).isEqualTo(201);
    assertThat(last.headers().firstValue("Location")).isPresent();
    StoredAttachment a =
        sim.mailbox("ann@x.example").orElseThrow().messages().get(0).attachments().get(0);
    assertThat(a.size()).isEqualTo(size);
    assertThat(a.via()).isEqualTo("uploadSession");
  }

  private HttpResponse<String> put(
      URI upload, byte[] bytes, long start, long total, boolean withToken) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(upload)
            .header(
                "Content-Range", "bytes " + start + "-" + (start + bytes.length - 1) + "/" + total)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (withToken) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFifthRequestInFlightIsThrottledAsMailboxConcurrency() throws Exception {
    sim.close();
    sim =
        GraphSimulator.builder()
            .user(GraphUser.of("ann@x.example"))
            .faults(GraphFaults.none().withLatency(Duration.ofMillis(300)))
            .build()
            .start();
    token =
        JSON.readTree(tokenRequest("client_secret=" + GraphSimulator.DEMO_CLIENT_SECRET).body())
            .path("access_token")
            .asText();
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create(
                          sim.baseUrl() + "/users/ann@x.example/mailFolders/inbox/childFolders"))
                  .header("Authorization", "Bearer " + token)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();
    assertThat(responses)
        .filteredOn(r -> r.statusCode() == 429)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.body()).contains("MailboxConcurrency"))
        .allSatisfy(r -> assertThat(r.headers().firstValue("Retry-After")).isPresent());
    assertThat(sim.mailbox("ann@x.example").orElseThrow().maxInFlight()).isEqualTo(4);
    // the traffic a benchmark compares with the budget counts answered requests, not the 429s
    GraphTraffic traffic = sim.traffic();
    String ann = sim.users().get(0).id();
    assertThat(traffic.perMailbox())
        .containsOnlyKeys(ann)
        .containsEntry(ann, responses.stream().filter(r -> r.statusCode() == 200).count());
    assertThat(traffic.requests()).isBetween(4L, 7L);
    // each answered request held a slot for the latency at least, the 429s for none of it
    assertThat(traffic.heldPerMailbox()).containsOnlyKeys(ann);
    assertThat(traffic.heldPerMailbox().get(ann))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300).multipliedBy(traffic.perMailbox().get(ann)))
        .isLessThan(Duration.ofMillis(300 + 1000).multipliedBy(traffic.perMailbox().get(ann)));
    assertThat(traffic.window()).isLessThan(Duration.ofSeconds(5));
    assertThat(traffic.first().orElseThrow()).isBeforeOrEqualTo(traffic.last().orElseThrow());
  }

  @Test
  void usersResolveByUpnAndProxyAddressAndPermissionsCanBeWithdrawn() throws Exception {
    assertThat(call("GET", "/users/ann@x.example", null).statusCode()).isEqualTo(200);
    assertThat(code(call("GET", "/users/alias@x.example", null)))
        .isEqualTo("Request_ResourceNotFound");
    HttpResponse<String> byProxy =
        call(
            "GET",
            "/users?$filter=" + enc("proxyAddresses/any(x:x eq 'smtp:alias@x.example')"),
            null);
    assertThat(JSON.readTree(byProxy.body()).path("value")).hasSize(1);
    sim.mailReadWrite(false);
    HttpResponse<String> denied =
        call("GET", "/users/ann@x.example/mailFolders/inbox/childFolders", null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(code(denied)).isEqualTo("ErrorAccessDenied");
  }
}
