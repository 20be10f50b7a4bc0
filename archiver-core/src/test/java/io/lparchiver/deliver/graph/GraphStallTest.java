package io.lparchiver.deliver.graph;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static io.lparchiver.deliver.graph.GraphDeliveryIntegrationTest.deliverOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.StoredMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graph holds answers (headers and half of the body, then silence) far past the client's request
 * timeout, on reads and on writes that it has already committed. The client must abandon each at
 * the timeout, look a stalled write up instead of writing it again, and finish with every copy
 * exactly once; when every answer stalls, delivery fails as retriable, naming the timeout.
 */
class GraphStallTest {

  private static final Duration HOLD = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofMillis(700);

  @TempDir Path dir;

  @Test
  void stalledAnswersAreAbandonedAtTheTimeoutAndNothingIsWrittenTwice() throws Exception {
    GraphFaults stalls = GraphFaults.none().withStalls(4, HOLD);
    try (GraphSimulator sim = GraphFixtures.simulator(stalls).build().start();
        GraphSink sink = sink(sim, 6)) {
      List<ArchiveEmail> emails = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        emails.add(email(key("conv-stall-" + i, 1), "stalled " + i));
        deliverOnce(sink, ANN, emails.get(i));
      }

      assertThat(sim.counters().stalledResponses()).isEqualTo(4);
      List<StoredMessage> stored =
          sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
      assertThat(stored.stream().map(m -> m.property(GraphItem.KEY_PROPERTY).orElseThrow()))
          .as("each copy exactly once")
          .containsExactlyInAnyOrderElementsOf(
              emails.stream().map(e -> e.key().messageId()).toList());
    }
  }

  @Test
  void whenEveryAnswerStallsDeliveryFailsRetriablyNamingTheTimeout() throws Exception {
    GraphFaults stalls = GraphFaults.none().withStalls(1000, HOLD);
    try (GraphSimulator sim = GraphFixtures.simulator(stalls).build().start();
        GraphSink sink = sink(sim, 2)) {
      ArchiveEmail copy = email(key("conv-stall-all", 1), "never answered");

      assertThatThrownBy(() -> sink.find(ANN, copy.key()))
          .isInstanceOf(DeliveryException.class)
          .hasMessageContaining("no complete answer within 700 ms")
          .matches(e -> ((DeliveryException) e).retriable(), "retriable");
    }
  }

  private GraphSink sink(GraphSimulator sim, int attempts) {
    GraphSettings settings =
        new GraphSettings(
            sim.tenantId(),
            sim.clientId(),
            new GraphCredential.ClientSecret(GraphFixtures.SECRET),
            sim.authority(),
            sim.baseUrl(),
            GraphFixtures.FOLDER,
            TIMEOUT,
            attempts,
            Duration.ofSeconds(2),
            Duration.ofMillis(10));
    return GraphSink.create(settings, Clock.systemUTC(), dir);
  }
}
