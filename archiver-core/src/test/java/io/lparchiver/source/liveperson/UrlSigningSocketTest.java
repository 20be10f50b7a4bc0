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
 * answered the first time (no request or answer lost, so no retry).
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
    assertThat(retries).isEmpty();
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(sockets);
  }
}
