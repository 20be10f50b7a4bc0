package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.AgentLogin;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FileFaults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The signing socket against the simulator's messaging websocket: many fresh sockets in a row, each
 * answered, nearly all the first time (no request or answer lost, so next to no retries).
 */
class UrlSigningSocketTest {

  private static final String ACCOUNT = HostedFileFetcherTest.ACCOUNT;
  private static final RetryPolicy FAST = HostedFileFetcherTest.FAST;

  private LivePersonSimulator sim;
  private LivePersonClient client;
  private final HttpClient http = HttpClient.newHttpClient();
  private LoginSession login;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  /** A simulator whose websocket answers after {@code signingLatency}, and a login to it. */
  private void start(Duration signingLatency) {
    sim =
        LivePersonSimulator.builder()
            .dataSet(SeededDataSet.generate(new DataSetSpec(40, 5, 5, Instant.now(), 20), ACCOUNT))
            .fileFaults(FileFaults.none())
            .signingLatency(signingLatency)
            .build()
            .start();
    client = HostedFileFetcherTest.demoClient(sim);
    login =
        new LoginSession(
            ACCOUNT,
            client.domainApi(),
            http,
            new FileDownloadSettings(AgentLogin.demo().username(), AgentLogin.demo().password()),
            FAST,
            Sleeper.system(),
            Clock.systemUTC());
  }

  /** A lost request or answer shows as a retry: the socket is dropped and the retry waits. */
  private UrlSigningSocket socket(List<Duration> retries) {
    return new UrlSigningSocket(ACCOUNT, client.domainApi(), http, login, FAST, retries::add);
  }

  @Test
  void everyFreshSocketGetsItsAnswerTheFirstTime() throws Exception {
    start(Duration.ZERO);
    String path = sim.hostedFilePaths().get(0);
    List<Duration> retries = new ArrayList<>();
    int sockets = 300;
    for (int i = 0; i < sockets; i++) {
      try (UrlSigningSocket socket = socket(retries)) {
        assertThat(socket.sign(path).uri().toString()).contains("temp_url_sig=");
      }
    }
    // A lost answer would show on every socket or on many. A connection the loopback drops now
    // and then (seen once in 300 on a loaded CI machine, "closed" before the answer) is what the
    // retry is for; the rate of such drops is bounded, not zero.
    assertThat(retries).hasSizeLessThanOrEqualTo(sockets / 100);
    assertThat(sim.fileCounters().urlsSigned()).isBetween(sockets, sockets + retries.size());
  }

  @Test
  void theLanesRequestsAreInFlightTogetherAndEachGetsItsOwnAnswer() throws Exception {
    start(Duration.ofMillis(300)); // a slow network: answers overlap
    List<String> paths = sim.hostedFilePaths().subList(0, 8);
    List<Duration> retries = new ArrayList<>();
    try (UrlSigningSocket socket = socket(retries)) {
      socket.connect();
      CountDownLatch go = new CountDownLatch(1);
      List<FutureTask<URI>> lanes = new ArrayList<>();
      for (String path : paths) {
        FutureTask<URI> lane =
            new FutureTask<>(
                () -> {
                  go.await();
                  return socket.sign(path).uri();
                });
        lanes.add(lane);
        new Thread(lane, "lane-" + lanes.size()).start();
      }
      go.countDown();
      for (int i = 0; i < paths.size(); i++) {
        URI signed = lanes.get(i).get(30, TimeUnit.SECONDS);
        assertThat(signed.getRawPath()).isEqualTo(UrlSigningSocket.encodePath(paths.get(i)));
        assertThat(signed.getRawQuery()).contains("temp_url_sig=");
      }
    }
    assertThat(retries).isEmpty();
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(paths.size());
    // taking turns for the whole round trip would never leave more than one unanswered
    assertThat(sim.signingRequestsInFlightPeak()).isGreaterThan(1);
  }
}
