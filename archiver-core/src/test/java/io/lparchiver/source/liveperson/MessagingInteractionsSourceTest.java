package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Window;
import io.lparchiver.source.FetchRequest;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.StubServer.Answer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessagingInteractionsSourceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private final StubServer server = new StubServer();
  private final LivePersonHttp http = LivePersonHttpTest.http(LivePersonHttpTest.FAST, d -> {});

  @AfterEach
  void stop() {
    server.close();
  }

  private MessagingInteractionsSource source() {
    String host = server.uri("").getAuthority();
    server.answer(Answer.of(200, "{\"service\":\"msgHist\",\"baseURI\":\"" + host + "\"}"));
    return new MessagingInteractionsSource(
        "12345678",
        new DomainApi(server.uri(""), "12345678", http, AllowedHosts.of("127.0.0.1")),
        http,
        "lp-archiver");
  }

  private static String record(String id, String status, boolean partial) {
    return "{\"info\":{\"conversationId\":\""
        + id
        + "\",\"status\":\""
        + status
        + "\",\"startTimeL\":1735689600000,\"isPartial\":"
        + partial
        + "}}";
  }

  private static String page(long count, String... records) {
    return "{\"_metadata\":{\"count\":"
        + count
        + "},\"conversationHistoryRecords\":["
        + String.join(",", records)
        + "]}";
  }

  private static List<SourceRecord> all(Stream<SourceRecord> stream) {
    try (stream) {
      return stream.toList();
    }
  }

  @Test
  void splitsLongWindowsIntoConsecutiveNinetyDayParts() {
    Window year = new Window(T0, T0.plus(365, ChronoUnit.DAYS));

    List<Window> parts = year.split(MessagingInteractionsSource.MAX_WINDOW);

    assertThat(parts).hasSize(5);
    assertThat(parts.get(0).from()).isEqualTo(T0);
    assertThat(parts.get(4).to()).isEqualTo(year.to());
    for (int i = 0; i < parts.size(); i++) {
      Window w = parts.get(i);
      assertThat(Duration.between(w.from(), w.to())).isLessThanOrEqualTo(Duration.ofDays(90));
      if (i > 0) {
        assertThat(w.from()).isEqualTo(parts.get(i - 1).to());
      }
    }
    Window short1 = new Window(T0, T0.plusSeconds(60));
    assertThat(short1.split(MessagingInteractionsSource.MAX_WINDOW)).containsExactly(short1);
  }

  @Test
  void theSearchBodyAsksForClosedConversationsAndTheArchiverSections() throws Exception {
    Window w = new Window(T0, T0.plus(1, ChronoUnit.DAYS));
    MessagingInteractionsSource source = source();

    JsonNode plain = JSON.readTree(source.searchBody(w, Optional.empty()));
    JsonNode since = JSON.readTree(source.searchBody(w, Optional.of(T0.plusSeconds(5))));

    assertThat(plain.at("/start/from").asLong()).isEqualTo(T0.toEpochMilli());
    assertThat(plain.at("/start/to").asLong()).isEqualTo(w.to().toEpochMilli() - 1); // inclusive
    assertThat(plain.get("status").toString()).isEqualTo("[\"CLOSE\"]");
    assertThat(plain.get("contentToRetrieve"))
        .extracting(JsonNode::asText)
        .containsExactlyElementsOf(MessagingInteractionsSource.CONTENT_TO_RETRIEVE);
    assertThat(plain.has("latestUpdateTime")).isFalse();
    assertThat(since.at("/latestUpdateTime/from").asLong()).isEqualTo(T0.toEpochMilli() + 5000);
  }

  @Test
  void skipsDuplicatesAndOpenConversationsAndReplacesPartialRecords() {
    MessagingInteractionsSource source = source();
    server.answer(
        Answer.of(
            200,
            page(
                104,
                record("a", "CLOSE", false),
                record("b", "OPEN", false),
                record("p", "CLOSE", true))),
        Answer.of(200, page(104, record("p", "CLOSE", false))), // by id: whole
        Answer.of(200, page(104, record("a", "CLOSE", false), record("c", "CLOSE", false))));

    List<SourceRecord> records =
        all(source.fetch(FetchRequest.of(new Window(T0, T0.plusSeconds(3600)))));

    assertThat(records)
        .extracting(r -> ((SourceRecord.Parsed) r).fetched().conversation().id())
        .containsExactly("a", "p", "c");
    List<StubServer.Seen> seen = server.seen();
    assertThat(seen.get(1).uri().getQuery())
        .contains("offset=0", "limit=100", "sort=start:asc", "v=2", "source=lp-archiver");
    assertThat(seen.get(2).uri().getPath()).endsWith("/conversations/conversation/search");
    assertThat(seen.get(2).body()).isEqualTo("{\"conversationId\":\"p\"}");
    assertThat(seen.get(3).uri().getQuery()).contains("offset=100");
    assertThat(seen).hasSize(4); // the empty-handed page ends paging even though count says 104
  }

  @Test
  void aRecordThatStaysPartialIsUnparseableNeverAccepted() {
    MessagingInteractionsSource source = source();
    server.answer(
        Answer.of(200, page(1, record("p", "CLOSE", true))),
        Answer.of(200, page(1, record("p", "CLOSE", true))),
        Answer.of(200, page(1, record("p", "CLOSE", true))));

    List<SourceRecord> records =
        all(source.fetch(FetchRequest.of(new Window(T0, T0.plusSeconds(60)))));

    assertThat(records)
        .singleElement()
        .isInstanceOfSatisfying(
            SourceRecord.Unparseable.class,
            u -> {
              assertThat(u.conversationId()).isEqualTo("p");
              assertThat(u.channel()).isEqualTo(Channel.MESSAGING);
              assertThat(u.reason()).contains("isPartial");
            });
  }

  @Test
  void partialResultPagesAndCutOffBodiesAreFetchedAgain() {
    MessagingInteractionsSource source = source();
    String full = page(2, record("a", "CLOSE", false), record("b", "CLOSE", false));
    server.answer(
        Answer.of(
            200,
            "{\"_metadata\":{\"count\":2,\"shardsStatusResult\":{\"partialResult\":true}},"
                + "\"conversationHistoryRecords\":["
                + record("a", "CLOSE", false)
                + "]}"),
        Answer.of(200, full.substring(0, full.length() - 10)),
        Answer.of(200, full));

    List<SourceRecord> records =
        all(source.fetch(FetchRequest.of(new Window(T0, T0.plusSeconds(60)))));

    assertThat(records).hasSize(2).allMatch(r -> r instanceof SourceRecord.Parsed);
    assertThat(server.seen()).hasSize(4);
  }

  @Test
  void pagesLoadOnlyAsTheStreamIsConsumed() {
    MessagingInteractionsSource source = source();
    server.answer(Answer.of(200, page(300, record("a", "CLOSE", false))));

    try (Stream<SourceRecord> stream =
        source.fetch(FetchRequest.of(new Window(T0, T0.plusSeconds(60))))) {
      assertThat(server.seen()).isEmpty();
      assertThat(stream.findFirst()).isPresent();
    }
    assertThat(server.seen()).hasSize(2); // domain lookup + one page
  }
}
