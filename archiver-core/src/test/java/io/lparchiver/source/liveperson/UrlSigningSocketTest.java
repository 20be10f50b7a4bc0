package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.sim.liveperson.AgentLogin;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FileFaults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void everyFreshSocketGetsItsAnswerTheFirstTime() throws Exception {
    sim =
        LivePersonSimulator.builder()
            .dataSet(SeededDataSet.generate(new DataSetSpec(20, 5, 5, Instant.now(), 5), ACCOUNT))
            .fileFaults(FileFaults.none())
            .build()
            .start();
    LivePersonClient client = HostedFileFetcherTest.demoClient(sim);
    HttpClient http = HttpClient.newHttpClient();
    LoginSession login =
        new LoginSession(
            ACCOUNT,
            client.domainApi(),
            http,
            new FileDownloadSettings(AgentLogin.demo().username(), AgentLogin.demo().password()),
            FAST,
            Sleeper.system(),
            Clock.systemUTC());
    String path = sim.hostedFilePaths().get(0);
    // a lost request or answer shows as a retry: the socket is dropped and the retry waits
    List<Duration> retries = new ArrayList<>();
    int sockets = 300;
    for (int i = 0; i < sockets; i++) {
      try (UrlSigningSocket socket =
          new UrlSigningSocket(ACCOUNT, client.domainApi(), http, login, FAST, retries::add)) {
        assertThat(socket.sign(path).uri().toString()).contains("temp_url_sig=");
      }
    }
    // A lost answer would show on every socket or on many. A connection the loopback drops now
    // and then (seen once in 300 on a loaded CI machine, "closed" before the answer) is what the
    // retry is for; the rate of such drops is bounded, not zero.
    assertThat(retries).hasSizeLessThanOrEqualTo(sockets / 100);
    assertThat(sim.fileCounters().urlsSigned()).isBetween(sockets, sockets + retries.size());
  }
}
