package io.lparchiver.deliver.graph;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TestEmails.Attachment;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.overflow.Externaliser;
import io.lparchiver.overflow.Fitted;
import io.lparchiver.overflow.OverflowStore;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.StoredAttachment;
import io.lparchiver.sim.graph.StoredMessage;
import io.lparchiver.testing.OverflowStubs;
import io.lparchiver.testing.OverflowStubs.Stub;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenant's limits: an attachment over the per-attachment limit is externalised and the item
 * lands with a stub instead; the client-side request budget keeps the simulator from ever having to
 * throttle a mailbox.
 */
class GraphLimitsTest {

  private static final long LIMIT = 200_000;

  @TempDir Path dir;

  @Test
  void anAttachmentOverTheTenantsLimitIsStoredOutsideAndTheItemCarriesAStub() throws Exception {
    byte[] big = TestEmails.randomBytes(300_000, 7);
    byte[] small = TestEmails.randomBytes(20_000, 8);
    ArchiveEmail email =
        TestEmails.withAttachments(
            key("conv-over", 1),
            List.of(new Attachment("recording.bin", big), new Attachment("note.txt", small)));
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none()).maxAttachmentBytes(LIMIT).build().start();
        GraphSink sink = sink(sim, LIMIT, 10_000, Duration.ofMinutes(10))) {
      assertThat(sink.sizeLimit(ANN)).isEqualTo(SizeLimit.attachment(LIMIT));
      assertThatThrownBy(() -> sink.deliver(ANN, email))
          .as("unfitted, the item cannot be delivered")
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("recording.bin")
          .hasMessageContaining("target.graph.maxAttachmentSize");

      Path overflow = dir.resolve("overflow");
      try (Fitted fitted =
          new Externaliser(new OverflowStore(overflow)).fit(email, sink.sizeLimit(ANN))) {
        GraphDeliveryIntegrationTest.deliverOnce(sink, ANN, fitted.email());
        List<Stub> stubs = OverflowStubs.in(fitted.email().mime());
        assertThat(stubs).singleElement().extracting(Stub::fileName).isEqualTo("recording.bin");
        assertThat(stubs.get(0).sha256()).isEqualTo(TestEmails.sha256(big));
        OverflowStubs.assertStored(overflow, stubs.get(0));

        List<StoredMessage> items =
            sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
        assertThat(items).hasSize(1);
        Map<String, String> attached =
            items.get(0).attachments().stream()
                .collect(Collectors.toMap(StoredAttachment::name, StoredAttachment::sha256));
        assertThat(attached)
            .containsEntry("note.txt", TestEmails.sha256(small))
            .containsKey("recording.bin.externalised.txt")
            .doesNotContainKey("recording.bin");
        assertThat(GraphFixtures.canonical(items.get(0)))
            .as("the item is the fitted email, stub and all")
            .isEqualTo(GraphFixtures.canonical(fitted.email().mime()));
      }
    }
  }

  @Test
  void theRequestBudgetKeepsTheSimulatorFromThrottlingAndOnlySlowsTheRun() throws Exception {
    Duration window = Duration.ofSeconds(3);
    int budget = 12;
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none())
                .requestBudget(budget, window)
                .build()
                .start();
        // The client counts a request when it sends it, the simulator when it arrives; a loaded
        // test machine can delay a request by more than one counting slot (window / 100), so the
        // client gets a window 0.5 s longer here (in production a slot is 6 s of margin).
        GraphSink sink =
            sink(sim, GraphSettings.MAX_ATTACHMENT_BYTES, budget, window.plusMillis(500))) {
      long started = System.nanoTime();
      deliverTen(sink);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertThat(sim.budgetRejections()).as("never over the budget").isZero();
      assertThat(stored(sim)).hasSize(10);
      assertThat(took).as("the client waited for its budget").isGreaterThan(window);
    }
  }

  /** The same run without our budget is throttled by the simulator: the test above can fail. */
  @Test
  void withoutTheClientBudgetTheSimulatorThrottles() throws Exception {
    Duration window = Duration.ofSeconds(3);
    try (GraphSimulator sim =
            GraphFixtures.simulator(GraphFaults.none()).requestBudget(12, window).build().start();
        GraphSink sink = sink(sim, GraphSettings.MAX_ATTACHMENT_BYTES, 10_000, window)) {
      deliverTen(sink);
      assertThat(sim.budgetRejections()).isPositive();
      assertThat(stored(sim)).as("throttling only slowed it").hasSize(10);
    }
  }

  private static void deliverTen(GraphSink sink) throws Exception {
    sink.ensureFolder(ANN);
    for (int i = 0; i < 10; i++) {
      GraphDeliveryIntegrationTest.deliverOnce(
          sink, ANN, TestEmails.email(key("conv-budget-" + i, 1), "hello " + i));
    }
  }

  private static List<StoredMessage> stored(GraphSimulator sim) {
    return sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
  }

  private GraphSink sink(GraphSimulator sim, long maxAttachment, int budget, Duration window) {
    GraphSettings settings =
        GraphFixtures.settings(sim, new GraphCredential.ClientSecret(GraphFixtures.SECRET))
            .withLimits(maxAttachment, budget, window);
    return GraphSink.create(settings, Clock.systemUTC(), dir.resolve("spool"));
  }
}
