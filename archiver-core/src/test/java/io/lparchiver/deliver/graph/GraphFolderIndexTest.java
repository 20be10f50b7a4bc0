package io.lparchiver.deliver.graph;

import static io.lparchiver.deliver.MailboxSinkContract.ANN;
import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static io.lparchiver.deliver.graph.GraphDeliveryIntegrationTest.deliverOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.StoredMessage;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Graph sink's per-run folder index: a copy costs one request (the create), not a lookup and a
 * create, yet a copy already in the folder (an earlier run's, or this run's whose reply was lost)
 * is still found and never written twice.
 */
class GraphFolderIndexTest {

  private static final int PAGE = 5;
  private static final int EARLIER_COPIES = 23; // five pages of five

  @TempDir Path dir;
  private GraphSimulator sim;
  private GraphSettings settings;
  private HttpClient client;
  private GraphHttp real;

  /** The requests a sink made, by what they were for ("list messages", "find message", ...). */
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    sim = GraphFixtures.simulator(GraphFaults.none()).build().start();
    settings = GraphFixtures.settings(sim, new GraphCredential.ClientSecret(GraphFixtures.SECRET));
    client = JdkGraphHttp.newClient();
    real =
        new JdkGraphHttp(
            settings,
            client,
            new ClientCredentialsTokenProvider(settings, client, Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    real.close();
    sim.close();
  }

  /** A sink for one run whose requests are recorded; {@code http} may interfere with them. */
  private GraphSink run(GraphHttp http) {
    return new GraphSink(
        settings,
        r -> {
          requests.add(r.what());
          return http.send(r);
        },
        dir.resolve("spool"),
        PAGE);
  }

  private List<ArchiveEmail> earlierRun() throws Exception {
    List<ArchiveEmail> emails = new ArrayList<>();
    GraphSink first = run(real);
    for (int i = 0; i < EARLIER_COPIES; i++) {
      emails.add(email(key("conv-earlier-" + i, 1), "earlier " + i));
      deliverOnce(first, ANN, emails.get(i));
    }
    requests.clear();
    return emails;
  }

  private List<StoredMessage> folder() {
    return sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(GraphFixtures.FOLDER);
  }

  @Test
  void aNewCopyCostsOneRequestInABackfill() throws Exception {
    GraphSink sink = run(real);
    for (int i = 0; i < 10; i++) {
      deliverOnce(sink, ANN, email(key("conv-new-" + i, 1), "new " + i));
    }
    assertThat(folder()).hasSize(10);
    assertThat(requests)
        .as("no lookup per copy: the new folder is listed once, empty")
        .doesNotContain("find message")
        .containsOnlyOnce("list messages")
        .filteredOn("create message"::equals)
        .hasSize(10);
  }

  @Test
  void anEarlierRunsCopyIsFoundThroughAListingOfManyPagesNotWrittenAgain() throws Exception {
    List<ArchiveEmail> earlier = earlierRun();
    GraphSink next = run(real);
    // the folder holds five pages: its first lookups go one by one until they cost as much as
    // the listing, then it is listed
    for (int i = 0; i < EARLIER_COPIES; i++) {
      deliverOnce(next, ANN, earlier.get(i));
    }
    assertThat(folder()).as("nothing written twice").hasSize(EARLIER_COPIES);
    assertThat(requests).doesNotContain("create message");
    assertThat(requests.subList(0, requests.indexOf("list messages")))
        .as("single lookups before the listing")
        .filteredOn("find message"::equals)
        .hasSize(EARLIER_COPIES / PAGE);
    assertThat(requests)
        .filteredOn("list messages"::equals)
        .as("the listing follows every page")
        .hasSize((EARLIER_COPIES + PAGE - 1) / PAGE);

    requests.clear();
    for (int i = 0; i < 7; i++) {
      deliverOnce(next, ANN, email(key("conv-later-" + i, 1), "later " + i));
    }
    assertThat(requests)
        .as("after the listing, a copy the folder does not hold costs only its create")
        .containsOnly("create message")
        .hasSize(7);
    assertThat(folder()).hasSize(EARLIER_COPIES + 7);
  }

  @Test
  void aCreateWhoseOutcomeIsUnknownIsLookedUpNotWrittenTwice() throws Exception {
    ArchiveEmail email = email(key("conv-lost-reply", 1), "the reply to this create is lost");
    GraphSink sink =
        run(
            r -> {
              GraphHttp.GraphResponse response = real.send(r);
              if (r.what().equals("create message")) {
                // Graph committed the item; the reply never reaches us
                throw new IllegalStateException("connection reset after the request was sent");
              }
              return response;
            });
    sink.ensureFolder(ANN);
    assertThat(sink.find(ANN, email.key())).as("the empty folder is listed").isEmpty();
    assertThat(requests).contains("list messages");
    assertThatThrownBy(() -> sink.deliver(ANN, email)).isInstanceOf(IllegalStateException.class);
    assertThat(folder()).hasSize(1);

    requests.clear();
    assertThat(sink.find(ANN, email.key()))
        .as("written this run, outcome unknown: the index sends the lookup to Graph")
        .isPresent();
    assertThat(requests).containsExactly("find message");
    deliverOnce(sink, ANN, email);
    assertThat(folder()).as("not written twice").hasSize(1);
  }

  @Test
  void aLostReplyInsideDeliverIsResolvedByALookup() throws Exception {
    ArchiveEmail email = email(key("conv-ambiguous", 1), "ambiguous create");
    boolean[] lost = {false};
    GraphSink sink =
        run(
            r -> {
              GraphHttp.GraphResponse response = real.send(r);
              if (r.what().equals("create message") && !lost[0]) {
                lost[0] = true;
                throw new GraphCallException(
                    "connection lost after the request was sent",
                    true,
                    0,
                    "",
                    true,
                    java.time.Duration.ZERO,
                    null);
              }
              return response;
            });
    deliverOnce(sink, ANN, email);
    assertThat(folder()).hasSize(1);
    assertThat(requests.subList(requests.indexOf("create message"), requests.size()))
        .as("the lost create is looked up, not repeated")
        .containsExactly("create message", "find message");
  }
}
