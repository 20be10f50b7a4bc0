package io.lparchiver.deliver.graph;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static io.lparchiver.deliver.MailboxSinkContract.BOB;
import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.graph.LargeEmails.Spec;
import io.lparchiver.deliver.graph.LargeEmails.Written;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Receipt;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.graph.MailboxView;
import io.lparchiver.sim.graph.StoredAttachment;
import io.lparchiver.sim.graph.StoredMessage;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Delivery into simulated Microsoft 365 mailboxes with faults on: every size class lands exactly
 * once per mailbox, crashes and lost replies leave no duplicate and no orphan, throttling only
 * slows the run, and missing permissions stop with the permission's name.
 */
class GraphDeliveryIntegrationTest {

  private static final long MB = 1024 * 1024;

  @TempDir Path dir;

  /** What the pipeline does per copy: look up, then write; retry what is retriable. */
  static Receipt deliverOnce(GraphSink sink, Mailbox mailbox, ArchiveEmail email) throws Exception {
    DeliveryException last = null;
    for (int attempt = 1; attempt <= 4; attempt++) {
      try {
        Optional<Receipt> found = sink.find(mailbox, email.key());
        return found.isPresent() ? found.get() : sink.deliver(mailbox, email);
      } catch (DeliveryException e) {
        if (!e.retriable()) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everySizeLandsExactlyOncePerMailboxWithFaultsOn() throws Exception {
    List<Written> emails = new ArrayList<>();
    List<List<Spec>> sizes =
        List.of(
            List.of(),
            List.of(new Spec("conversation.json", 2_000), new Spec("photo-1mb.jpg", MB)),
            List.of(new Spec("conversation.json", 2_000), new Spec("scan-3.5mb.pdf", 7 * MB / 2)),
            List.of(new Spec("conversation.json", 2_000), new Spec("video-20mb.mp4", 20 * MB)));
    for (int i = 0; i < sizes.size(); i++) {
      emails.add(
          LargeEmails.write(
              dir, key("conv-size-" + i, 1), "Ann Lee <ann.lee@brand.example>", sizes.get(i)));
    }
    GraphFaults faults = new GraphFaults(6, "0.1", 4, 4, 5, Duration.ofMillis(3));
    try (GraphSimulator sim = GraphFixtures.simulator(faults).build().start();
        GraphSink sink = GraphFixtures.sink(sim, dir.resolve("spool"))) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Receipt>> results = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) { // the second pass finds everything
          for (Written w : emails) {
            for (Mailbox m : List.of(ANN, BOB)) {
              results.add(pool.submit(() -> deliverOnce(sink, m, w.email())));
            }
          }
          for (Future<Receipt> r : results) {
            r.get();
          }
        }
      } finally {
        pool.shutdownNow();
      }
      for (Mailbox m : List.of(ANN, BOB)) {
        MailboxView view = sim.mailbox(m.address()).orElseThrow();
        List<StoredMessage> stored = view.messagesInInboxChild(GraphFixtures.FOLDER);
        assertThat(stored).hasSize(emails.size());
        assertThat(view.messages())
            .as("nothing outside the folder, no orphan drafts")
            .hasSize(emails.size());
        assertThat(view.maxInFlight()).isLessThanOrEqualTo(4);
        for (Written w : emails) {
          StoredMessage item = only(stored, w.email().key().messageId());
          assertReceivedReadNonDraft(item);
          assertThat(hashes(item.attachments()))
              .isEqualTo(new java.util.TreeMap<>(w.sha256ByName()));
        }
      }
      assertThat(
              sim.counters().throttled()
                  + sim.counters().serviceUnavailable()
                  + sim.counters().droppedConnections())
          .as("faults were injected")
          .isPositive();
    }
  }

  @Test
  @Tag("large")
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void attachmentOf149MbIsStreamedAndOneOver150MbIsRefused() throws Exception {
    assumeThat(System.getProperty("graph.large", "true"))
        .as("-Dgraph.large=false skips it")
        .isNotEqualTo("false");
    Written big =
        LargeEmails.write(
            dir,
            key("conv-149", 1),
            "Ann Lee <ann.lee@brand.example>",
            List.of(
                new Spec("conversation.json", 2_000), new Spec("recording-149mb.bin", 149 * MB)));
    GraphFaults faults = new GraphFaults(3, "0.05", 3, 0, 9, Duration.ZERO);
    try (GraphSimulator sim = GraphFixtures.simulator(faults).build().start();
        GraphSink sink = GraphFixtures.sink(sim, dir.resolve("spool"))) {
      deliverOnce(sink, ANN, big.email());
      deliverOnce(sink, ANN, big.email());

      List<StoredMessage> stored =
          sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
      assertThat(stored).hasSize(1);
      assertReceivedReadNonDraft(stored.get(0));
      assertThat(hashes(stored.get(0).attachments()))
          .isEqualTo(new java.util.TreeMap<>(big.sha256ByName()));
      assertThat(stored.get(0).attachments())
          .filteredOn(a -> a.size() == 149 * MB)
          .singleElement()
          .extracting(StoredAttachment::via)
          .isEqualTo("uploadSession");

      Written over =
          LargeEmails.write(
              dir,
              key("conv-151", 1),
              "Ann <ann.lee@brand.example>",
              List.of(new Spec("too-big.bin", 151 * MB)));
      assertThatThrownBy(() -> sink.deliver(ANN, over.email()))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("150 MB")
          .hasMessageContaining("too-big.bin");
      assertThat(sim.mailbox(ANN.address()).orElseThrow().messages()).hasSize(1);
    }
  }

  @Test
  void crashBetweenCreateAndAttachLeavesNoDuplicateAndNoOrphan() throws Exception {
    Written w =
        LargeEmails.write(
            dir,
            key("conv-crash", 1),
            "Ann Lee <ann.lee@brand.example>",
            List.of(new Spec("conversation.json", 2_000), new Spec("scan.pdf", 7 * MB / 2)));
    try (GraphSimulator sim = GraphFixtures.simulator(GraphFaults.none()).build().start()) {
      GraphSettings settings =
          GraphFixtures.settings(sim, new GraphCredential.ClientSecret(GraphFixtures.SECRET));
      HttpClient client = JdkGraphHttp.newClient();
      GraphHttp real =
          new JdkGraphHttp(
              settings,
              client,
              new ClientCredentialsTokenProvider(settings, client, Clock.systemUTC()));
      GraphHttp dying =
          r -> {
            if (r.what().equals("add attachment") || r.what().equals("create upload session")) {
              throw new ProcessKilled();
            }
            return real.send(r);
          };
      GraphSink first = new GraphSink(settings, dying, dir.resolve("spool"));
      first.ensureFolder(ANN);
      assertThatThrownBy(() -> first.deliver(ANN, w.email())).isInstanceOf(ProcessKilled.class);
      List<StoredMessage> afterCrash =
          sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
      assertThat(afterCrash).singleElement().satisfies(m -> assertThat(m.attachments()).isEmpty());

      GraphSink restarted = GraphFixtures.sink(sim, dir.resolve("spool"));
      assertThat(restarted.find(ANN, w.email().key()))
          .as("an incomplete item is not a delivered copy")
          .isEmpty();
      deliverOnce(restarted, ANN, w.email());

      MailboxView view = sim.mailbox(ANN.address()).orElseThrow();
      assertThat(view.messages()).hasSize(1);
      assertThat(hashes(view.messagesInInboxChild(GraphFixtures.FOLDER).get(0).attachments()))
          .isEqualTo(new java.util.TreeMap<>(w.sha256ByName()));
      assertThat(restarted.find(ANN, w.email().key())).isPresent();
    }
  }

  /** Stands for kill -9: an Error no cleanup code catches. */
  static final class ProcessKilled extends Error {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void lostRepliesToWritesAreLookedUpNotWrittenTwice() throws Exception {
    GraphFaults dropsOnly = new GraphFaults(0, "0", 0, 10, 1, Duration.ZERO);
    try (GraphSimulator sim = GraphFixtures.simulator(dropsOnly).build().start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      List<ArchiveEmail> emails = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        emails.add(email(key("conv-drop-" + i, 1), "reply " + i));
        deliverOnce(sink, ANN, emails.get(i));
      }
      assertThat(sim.counters().droppedConnections()).isGreaterThanOrEqualTo(8);
      List<StoredMessage> stored =
          sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
      assertThat(stored.stream().map(m -> m.property(GraphItem.KEY_PROPERTY).orElseThrow()))
          .containsExactlyInAnyOrderElementsOf(
              emails.stream().map(e -> e.key().messageId()).toList());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void throttlingOnlySlowsTheRun() throws Exception {
    GraphFaults throttled = new GraphFaults(30, "0.05", 10, 0, 2, Duration.ofMillis(15));
    // The tenant allows only 2 in flight: our 4 per mailbox meet MailboxConcurrency too.
    try (GraphSimulator sim =
            GraphFixtures.simulator(throttled).mailboxConcurrency(2).build().start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      ListAppender<ILoggingEvent> logs = capture(JdkGraphHttp.class);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Receipt>> results = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          ArchiveEmail e = email(key("conv-busy-" + i, 1), "busy " + i);
          results.add(pool.submit(() -> deliverOnce(sink, ANN, e)));
        }
        for (Future<Receipt> r : results) {
          r.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(
              sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER))
          .hasSize(40);
      assertThat(sim.counters().throttled()).isEqualTo(30);
      assertThat(sim.counters().concurrencyRejections()).isPositive();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("MailboxConcurrency"))
          .anyMatch(m -> m.contains("ApplicationThrottled"));
    }
  }

  @Test
  void ourOwnLimitKeepsFourInFlightPerMailbox() throws Exception {
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none().withLatency(Duration.ofMillis(20)))
                .build()
                .start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      ExecutorService pool = Executors.newFixedThreadPool(12);
      try {
        List<Future<Receipt>> results = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
          ArchiveEmail e = email(key("conv-par-" + i, 1), "parallel " + i);
          results.add(pool.submit(() -> deliverOnce(sink, ANN, e)));
        }
        for (Future<Receipt> r : results) {
          r.get();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(sim.counters().concurrencyRejections()).isZero();
      assertThat(sim.mailbox(ANN.address()).orElseThrow().maxInFlight()).isEqualTo(4);
    }
  }

  @Test
  void missingMailReadWriteStopsWithAMessageNamingIt() throws Exception {
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none()).mailReadWrite(false).build().start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      assertThatThrownBy(() -> sink.deliver(ANN, email(key("conv-403", 1), "x")))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("Mail.ReadWrite")
          .hasMessageContaining("admin consent")
          .hasMessageContaining("ErrorAccessDenied");
    }
  }

  @Test
  void missingUserReadAllStopsMappingWithAMessageNamingIt() throws Exception {
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none()).userReadAll(false).build().start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      assertThatThrownBy(() -> sink.users().exists(ANN))
          .isInstanceOf(GraphUsers.GraphDirectoryException.class)
          .hasMessageContaining("User.Read.All")
          .hasMessageContaining("Authorization_RequestDenied");
    }
  }

  @Test
  void aUserWithoutMailboxIsNotRetried() throws Exception {
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none())
                .user(GraphUser.of("guest@brand.example").withoutMailbox())
                .build()
                .start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      assertThatThrownBy(
              () -> sink.deliver(new Mailbox("guest@brand.example"), email(key("conv-g", 1), "x")))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("MailboxNotEnabledForRESTAPI");
    }
  }

  @Test
  void anExpiredTokenIsRenewedAndSecretsNeverReachLogsOrErrors() throws Exception {
    ListAppender<ILoggingEvent> logs = capture(org.slf4j.Logger.ROOT_LOGGER_NAME);
    try (GraphSimulator sim =
            GraphFixtures.simulator(new GraphFaults(2, "0.05", 2, 2, 2, Duration.ZERO))
                .build()
                .start();
        GraphSink sink = GraphFixtures.sink(sim, dir)) {
      deliverOnce(sink, ANN, email(key("conv-t1", 1), "before expiry"));
      sim.expireTokens();
      deliverOnce(sink, ANN, email(key("conv-t2", 1), "after expiry"));
      assertThat(sim.counters().tokensIssued()).isEqualTo(2);
      assertThat(sim.counters().unauthorized()).isEqualTo(1);

      GraphSettings wrong =
          GraphFixtures.settings(
              sim, new GraphCredential.ClientSecret("wrong-" + GraphFixtures.SECRET));
      try (GraphSink bad = GraphSink.create(wrong, Clock.systemUTC(), dir)) {
        assertThatThrownBy(() -> bad.ensureFolder(ANN))
            .isInstanceOfSatisfying(
                DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
            .hasMessageContaining("invalid_client")
            .hasMessageContaining("target.graph.clientSecret")
            .hasMessageNotContaining(GraphFixtures.SECRET);
      }
      assertThat(wrong.toString()).doesNotContain(GraphFixtures.SECRET);
    }
    String all =
        logs.list.stream()
            .map(GraphDeliveryIntegrationTest::render)
            .collect(Collectors.joining("\n"));
    assertThat(all)
        .doesNotContain(GraphFixtures.SECRET)
        .doesNotContain("sim.")
        .doesNotContain("authtoken=")
        .doesNotContain("Bearer ");
  }

  private static String render(ILoggingEvent e) {
    return e.getFormattedMessage()
        + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
  }

  private static ListAppender<ILoggingEvent> capture(Class<?> type) {
    return capture(type.getName());
  }

  @org.junit.jupiter.api.AfterEach
  void releaseLogs() {
    for (String name : List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, JdkGraphHttp.class.getName())) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      logger.detachAppender("capture");
      logger.setLevel(
          name.equals(org.slf4j.Logger.ROOT_LOGGER_NAME)
              ? ch.qos.logback.classic.Level.WARN
              : null);
    }
  }

  private static ListAppender<ILoggingEvent> capture(String name) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setName("capture");
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static StoredMessage only(List<StoredMessage> stored, String messageId) {
    List<StoredMessage> hits =
        stored.stream()
            .filter(m -> m.property(GraphItem.KEY_PROPERTY).orElse("").equals(messageId))
            .toList();
    assertThat(hits).as(messageId).hasSize(1);
    return hits.get(0);
  }

  private static void assertReceivedReadNonDraft(StoredMessage m) {
    assertThat(m.isDraft()).isFalse();
    assertThat(m.isRead()).isTrue();
    assertThat(m.receivedDateTime()).isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    assertThat(m.json().path("internetMessageHeaders")).hasSizeLessThanOrEqualTo(5);
    assertThat(m.json().path("internetMessageHeaders").findValuesAsText("name"))
        .contains("X-LivePerson-Conversation-Id", "X-LivePerson-Account");
    assertThat(m.bodyContentType()).isEqualTo("html");
  }

  private static Map<String, String> hashes(List<StoredAttachment> attachments) {
    return attachments.stream()
        .collect(
            Collectors.toMap(
                StoredAttachment::name,
                StoredAttachment::sha256,
                (a, b) -> a + "+" + b,
                java.util.LinkedHashMap::new))
        .entrySet()
        .stream()
        .sorted(Map.Entry.comparingByKey())
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
  }
}
