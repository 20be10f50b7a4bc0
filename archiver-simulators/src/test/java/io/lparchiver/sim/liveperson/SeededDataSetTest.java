package io.lparchiver.sim.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeededDataSetTest {
  private static final SeededDataSet DATA = Fixtures.dataSet(42);

  @Test
  void sameSeedSameJsonDifferentSeedDifferentJson() throws Exception {
    String a = SimClient.JSON.writeValueAsString(Fixtures.dataSet(5).conversations());
    String b = SimClient.JSON.writeValueAsString(Fixtures.dataSet(5).conversations());
    String c = SimClient.JSON.writeValueAsString(Fixtures.dataSet(6).conversations());
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
    assertThat(Fixtures.dataSet(5).users()).isEqualTo(Fixtures.dataSet(5).users());
  }

  @Test
  void sameSeedSameHttpResponse() throws Exception {
    String first;
    try (LivePersonSimulator sim = Fixtures.started(Fixtures.dataSet(9), Faults.none())) {
      first = new SimClient(sim).post(Fixtures.searchQuery(0, 100), Fixtures.allWindow()).body();
    }
    try (LivePersonSimulator sim = Fixtures.started(Fixtures.dataSet(9), Faults.none())) {
      String second =
          new SimClient(sim).post(Fixtures.searchQuery(0, 100), Fixtures.allWindow()).body();
      // only the port in _metadata.self.href differs between the two servers
      assertThat(stripHref(second)).isEqualTo(stripHref(first));
    }
  }

  private static String stripHref(String body) {
    return body.replaceAll("\"href\":\"[^\"]*\"", "");
  }

  @Test
  void largeFilePercentMakesThatShareOfHostedFilesOneHundredKilobytesToThreeMegabytes() {
    DataSetSpec spec = new DataSetSpec(400, 5, 42, Fixtures.END, 60).withLargeFiles(20);
    HostedFiles files = new HostedFiles(SeededDataSet.generate(spec));
    List<String> paths = files.paths();
    int large = 0;
    for (String path : paths) {
      int size = files.content(path).orElseThrow().length;
      if (size >= DataSetSpec.LARGE_FILE_MIN_BYTES) {
        large++;
        assertThat(size).isLessThanOrEqualTo(DataSetSpec.LARGE_FILE_MAX_BYTES);
      } else {
        assertThat(size).isLessThanOrEqualTo(DataSetSpec.DEFAULT_FILE_BYTES);
      }
      assertThat(HostedFiles.isLarge(path, 20))
          .as(path)
          .isEqualTo(size >= DataSetSpec.LARGE_FILE_MIN_BYTES);
    }
    assertThat(paths).hasSizeGreaterThan(100);
    assertThat((double) large / paths.size()).isBetween(0.10, 0.30);
    assertThat(files.conversationsWithLargeFiles()).isPositive().isLessThanOrEqualTo(large);

    // without the option no file is large: the bytes of data sets made before it stay the same
    HostedFiles small = new HostedFiles(SeededDataSet.generate(spec.withLargeFiles(0)));
    assertThat(small.paths()).isEqualTo(paths);
    assertThat(small.conversationsWithLargeFiles()).isZero();
    assertThat(paths)
        .allSatisfy(
            p ->
                assertThat(small.content(p).orElseThrow().length)
                    .isLessThanOrEqualTo(DataSetSpec.DEFAULT_FILE_BYTES));
  }

  @Test
  void aLargeFileIsTheSameNoiseOnEveryRequestAndDiffersByPath() {
    DataSetSpec spec = new DataSetSpec(400, 5, 42, Fixtures.END, 60).withLargeFiles(20);
    HostedFiles files = new HostedFiles(SeededDataSet.generate(spec));
    List<String> large =
        files.paths().stream().filter(p -> HostedFiles.isLarge(p, 20)).limit(2).toList();
    assertThat(large).hasSize(2);
    byte[] first = files.content(large.get(0)).orElseThrow();
    assertThat(files.content(large.get(0)).orElseThrow()).isEqualTo(first);
    byte[] other = files.content(large.get(1)).orElseThrow();
    int tail = Math.min(first.length, other.length) - 4096;
    assertThat(Arrays.copyOfRange(first, tail, tail + 4096))
        .isNotEqualTo(Arrays.copyOfRange(other, tail, tail + 4096));
    // noise to the last byte: every byte value occurs in the last 64 KB
    Set<Byte> values = new HashSet<>();
    for (int i = first.length - 65536; i < first.length; i++) {
      values.add(first[i]);
    }
    assertThat(values).hasSize(256);
  }

  @Test
  void coversEveryMessageTypeAndBothConsumerKeys() {
    Set<String> types = new HashSet<>();
    Set<String> keys = new HashSet<>();
    boolean quickReplies = false;
    for (ObjectNode rec : DATA.conversations()) {
      rec.fieldNames().forEachRemaining(keys::add);
      for (JsonNode m : rec.get("messageRecords")) {
        types.add(m.get("type").asText());
        quickReplies |= m.at("/messageData/quickReplies/content").isTextual();
      }
    }
    assertThat(types)
        .containsExactlyInAnyOrder(
            "TEXT_PLAIN",
            "TEXT_HTML",
            "LINK",
            "HOSTED_FILE",
            "IMG",
            "SECURE_FORM_INVITATION",
            "SECURE_FORM_SUBMIT",
            "RICH_CONTENT");
    assertThat(quickReplies).isTrue();
    assertThat(keys)
        .contains(
            "consumerParticipants",
            "consumerParticipant",
            "dialogs",
            "skillChanges",
            "unAuthSdes",
            "conversationSurveys",
            "summary",
            "monitoring",
            "agentParticipantsLeave",
            "agentParticipantsActive",
            "coBrowseSessions");
    long singular = DATA.conversations().stream().filter(r -> r.has("consumerParticipant")).count();
    assertThat(singular).isBetween(30L, 50L);
  }

  @Test
  void messageShapesMatchTheReference() throws Exception {
    List<JsonNode> messages = new ArrayList<>();
    DATA.conversations().forEach(r -> r.get("messageRecords").forEach(messages::add));
    JsonNode rich = first(messages, "RICH_CONTENT");
    JsonNode card = SimClient.JSON.readTree(rich.at("/messageData/richContent/content").asText());
    assertThat(card.get("type").asText()).isEqualTo("vertical");
    assertThat(card.toString()).contains("\"link\"").contains("publishText").contains("image");
    assertThat(first(messages, "HOSTED_FILE").at("/messageData/file/relativePath").asText())
        .startsWith("/v1/AUTH_async-images/12345678/");
    assertThat(first(messages, "LINK").at("/messageData/link/externalFileLink").asText())
        .startsWith("https://");
    assertThat(first(messages, "SECURE_FORM_SUBMIT").at("/messageData/form/submissionId").asText())
        .isNotEmpty();
    assertThat(messages).anySatisfy(m -> assertThat(m.get("seq").isTextual()).isTrue());
    assertThat(messages).anySatisfy(m -> assertThat(m.get("seq").isInt()).isTrue());
    assertThat(messages)
        .anySatisfy(m -> assertThat(m.at("/messageData/msg/text").asText()).contains("👍"));
  }

  private static JsonNode first(List<JsonNode> messages, String type) {
    return messages.stream()
        .filter(m -> type.equals(m.get("type").asText()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void statusMixAndSentinels() {
    assertThat(DATA.openConversationIds()).hasSize(20);
    assertThat(DATA.closedConversationIds()).hasSize(180);
    String all = DATA.conversations().toString();
    assertThat(all)
        .contains("\"assignedAgentId\":\"null\"")
        .contains("\"reason\":\"Skill\"")
        .contains("\"reason\":\"Agent\"")
        .contains("\"dialogType\":\"POST_SURVEY\"")
        .contains("\"messageDeliveryStatus\":\"READ\"")
        .contains("\"messageDeliveryStatus\":\"ACCEPT\"")
        .contains("\"surveyType\":\"CSAT\"")
        .contains("\"email\":\"undefined\"")
        .contains("+0000\"");
    DATA.conversations().forEach(r -> assertNoNulls(r));
  }

  private static void assertNoNulls(JsonNode node) {
    assertThat(node.isNull()).isFalse();
    node.forEach(SeededDataSetTest::assertNoNulls);
  }

  @Test
  void untrustedConsumerNamesAppear() {
    String all = DATA.conversations().toString();
    assertThat(all)
        .contains("<script>")
        .contains("Jo\\r\\nBcc: x@evil")
        .contains("Zoë")
        .contains("Ñúñez")
        .contains("山田");
  }

  @Test
  void agentIdentitiesExerciseMapping() {
    List<SimAgent> agents = DATA.agents();
    assertThat(agents).hasSize(6);
    assertThat(agents).filteredOn(SimAgent::deleted).hasSize(1);
    assertThat(agents).filteredOn(SimAgent::isBot).hasSize(1);
    assertThat(agents).filteredOn(a -> !a.inUsersApi()).hasSize(1);
    SimAgent byPid = agents.stream().filter(SimAgent::referencedByPid).findFirst().orElseThrow();
    String all = DATA.conversations().toString();
    for (SimAgent a : agents) {
      assertThat(all).contains("\"agentId\":\"" + a.reference() + "\"");
    }
    assertThat(all).doesNotContain("\"agentId\":\"" + byPid.id() + "\"");
    assertThat(DATA.users()).hasSize(5);
    assertThat(agents.stream().map(SimAgent::email).distinct()).hasSize(6);
  }

  @Test
  void consumerEmailOnlyInSdes() {
    List<ObjectNode> withEmail =
        DATA.conversations().stream()
            .filter(r -> r.at("/sdes/events").toString().contains("@customer.example"))
            .toList();
    assertThat(withEmail).isNotEmpty().hasSizeLessThan(200);
    for (ObjectNode r : withEmail) {
      JsonNode participants =
          r.has("consumerParticipants")
              ? r.get("consumerParticipants")
              : r.get("consumerParticipant");
      assertThat(participants.toString()).doesNotContain("@customer.example");
    }
  }

  @Test
  void touchReplacesTheRecordAndUpdateTime() {
    SeededDataSet data = Fixtures.dataSet(1);
    String id = data.closedConversationIds().get(0);
    data.touch(
        id,
        r -> r.putObject("summary").put("text", "edited").put("lastUpdatedTime", 1L),
        Fixtures.END);
    assertThat(data.conversation(id).orElseThrow().at("/summary/text").asText())
        .isEqualTo("edited");
    assertThat(data.lastUpdateTime(id)).isEqualTo(Fixtures.END);
  }

  /** Records are regenerated on request, so what a caller changes must not reach the data set. */
  @Test
  void recordsHandedOutAreTheCallersOwnAndTouchedOnesStayChanged() throws Exception {
    SeededDataSet data = Fixtures.dataSet(3);
    String untouched = data.closedConversationIds().get(1);
    String before = SimClient.JSON.writeValueAsString(data.conversation(untouched).orElseThrow());
    data.conversation(untouched).orElseThrow().putObject("summary").put("text", "scribbled");
    assertThat(SimClient.JSON.writeValueAsString(data.conversation(untouched).orElseThrow()))
        .isEqualTo(before);

    String open = data.openConversationIds().get(0);
    data.closeConversation(open, Fixtures.END);
    data.conversation(open).orElseThrow().with("info").put("status", "OPEN");
    assertThat(data.conversation(open).orElseThrow().at("/info/status").asText())
        .isEqualTo("CLOSE");
    assertThat(data.closedConversationIds()).contains(open);
    assertThat(data.conversations()).hasSize(200);

    SeededDataSet withChats =
        SeededDataSet.generate(new DataSetSpec(20, 5, 3, Fixtures.END, 60).withChats(5));
    String chat = withChats.chatIds().get(2);
    withChats.touchChat(chat, c -> c.with("info").put("marker", "changed"));
    withChats.chats().get(2).with("info").put("marker", "scribbled");
    assertThat(withChats.chats().get(2).at("/info/marker").asText()).isEqualTo("changed");
    assertThat(withChats.chats().get(1).at("/info/marker").isMissingNode()).isTrue();
  }
}
