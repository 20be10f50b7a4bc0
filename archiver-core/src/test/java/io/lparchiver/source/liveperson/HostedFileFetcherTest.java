package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.FileReference;
import io.lparchiver.model.SharedFile;
import io.lparchiver.sim.liveperson.AgentLogin;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.FileFaults;
import io.lparchiver.sim.liveperson.LivePersonSimulator;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.source.SourceException;
import io.lparchiver.testing.SimulatorClients;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hosted files through the real Login Service, websocket and swift host of the simulator. */
class HostedFileFetcherTest {

  static final String ACCOUNT = "12345678";
  static final RetryPolicy FAST =
      new RetryPolicy(
          4,
          Duration.ofMillis(1),
          Duration.ofMillis(4),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          2);

  private final List<Duration> waits = new ArrayList<>();
  private LivePersonSimulator sim;
  private HostedFileFetcher fetcher;

  @AfterEach
  void stop() {
    if (fetcher != null) {
      fetcher.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private HostedFileFetcher start(FileFaults faults, String password) {
    return start(faults, password, Clock.systemUTC());
  }

  private HostedFileFetcher start(FileFaults faults, String password, Clock fetcherClock) {
    return start(faults, password, fetcherClock, FAST);
  }

  private HostedFileFetcher start(
      FileFaults faults, String password, Clock fetcherClock, RetryPolicy policy) {
    Instant now = Instant.now();
    sim =
        LivePersonSimulator.builder()
            .dataSet(
                SeededDataSet.generate(
                    new DataSetSpec(40, 5, 5, now, 20).withFileBytes(300_000), ACCOUNT))
            .fileFaults(faults)
            .build()
            .start();
    LivePersonClient client = SimulatorClients.demo(sim, policy);
    fetcher =
        HostedFileFetcher.create(
            client,
            new FileDownloadSettings(AgentLogin.demo().username(), password),
            fetcherClock,
            waits::add);
    return fetcher;
  }

  /** With a 700 ms request timeout, the first file's fetch fails naming it and keeps the record. */
  private void assertFetchTimesOut(FileFaults faults) {
    start(faults, AgentLogin.demo().password(), Clock.systemUTC(), STALL_TIMEOUT);
    String path = sim.hostedFilePaths().get(0);

    assertThatThrownBy(() -> fetcher.fetch(hosted(path)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("no complete answer within 700 ms (source.liveperson.retry.timeout)")
        .hasMessageContaining("the conversation is kept and tried again");
  }

  private static FileReference hosted(String path) {
    return new FileReference(Optional.of(path), Optional.empty(), "", "a caption");
  }

  @Test
  void everyHostedFileArrivesByteIdenticalWithItsNameTypeAndHash() throws Exception {
    start(FileFaults.none(), AgentLogin.demo().password());
    List<String> paths = sim.hostedFilePaths();
    assertThat(paths).hasSizeGreaterThan(3);
    for (String path : paths) {
      SharedFile.Downloaded d = (SharedFile.Downloaded) fetcher.fetch(hosted(path));
      byte[] expected = sim.hostedFileContent(path);
      assertThat(d.bytes()).isEqualTo(expected);
      assertThat(d.sha256())
          .isEqualTo(
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)));
      assertThat(d.fileName()).isEqualTo(path.substring(path.lastIndexOf('/') + 1));
      assertThat(d.contentType()).isEqualTo(LivePersonSimulator.hostedFileContentType(path));
    }
    // one login, one URL per file: the bearer is cached and the socket kept open
    assertThat(sim.fileCounters().logins()).isEqualTo(1);
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(paths.size());
    assertThat(sim.fileCounters().downloads()).isEqualTo(paths.size());
  }

  @Test
  void anExpiredUrlIsSignedAgainOnce() throws Exception {
    start(new FileFaults(true, 0), AgentLogin.demo().password());
    String path = sim.hostedFilePaths().get(0);
    SharedFile file = fetcher.fetch(hosted(path));
    assertThat(file).isInstanceOf(SharedFile.Downloaded.class);
    assertThat(((SharedFile.Downloaded) file).bytes()).isEqualTo(sim.hostedFileContent(path));
    // the first URL arrives already expired: the fetcher notices and asks once more before GET
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(2);
    assertThat(sim.fileCounters().downloads()).isEqualTo(1);
  }

  @Test
  void aUrlSwiftRefusesAsExpiredIsSignedAgainOnce() throws Exception {
    // this machine's clock two minutes behind: the expired URL looks valid until swift says 401
    start(
        new FileFaults(true, 0),
        AgentLogin.demo().password(),
        Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));
    String path = sim.hostedFilePaths().get(0);
    SharedFile file = fetcher.fetch(hosted(path));
    assertThat(((SharedFile.Downloaded) file).bytes()).isEqualTo(sim.hostedFileContent(path));
    assertThat(sim.fileCounters().refusedExpired()).isEqualTo(1);
    assertThat(sim.fileCounters().urlsSigned()).isEqualTo(2);
    assertThat(sim.fileCounters().downloads()).isEqualTo(1);
  }

  /** The request timeout of the stall tests: far shorter than the stall. */
  private static final RetryPolicy STALL_TIMEOUT =
      new RetryPolicy(
          3,
          Duration.ofMillis(1),
          Duration.ofMillis(4),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofMillis(700),
          2);

  @Test
  void aDownloadThatStallsMidBodyIsCutOffAtTheTimeoutAndFetchedAgain() throws Exception {
    start(
        FileFaults.none().withStalls(1, Duration.ofSeconds(30)),
        AgentLogin.demo().password(),
        Clock.systemUTC(),
        STALL_TIMEOUT);
    String path = sim.hostedFilePaths().get(0);

    SharedFile file = fetcher.fetch(hosted(path));

    assertThat(((SharedFile.Downloaded) file).bytes()).isEqualTo(sim.hostedFileContent(path));
    assertThat(sim.fileCounters().stalledDownloads()).isEqualTo(1);
    assertThat(sim.fileCounters().downloads()).as("the stalled one, then the retry").isEqualTo(2);
  }

  @Test
  void aDownloadSwiftAnswers503ToIsRetriedAfterABackoffAndArrivesWhole() throws Exception {
    start(FileFaults.none().withUnavailable(2), AgentLogin.demo().password());
    String path = sim.hostedFilePaths().get(0);

    SharedFile file = fetcher.fetch(hosted(path));

    assertThat(((SharedFile.Downloaded) file).bytes()).isEqualTo(sim.hostedFileContent(path));
    assertThat(sim.fileCounters().unavailable()).isEqualTo(2);
    assertThat(sim.fileCounters().downloads()).isEqualTo(1);
    assertThat(waits).as("a backoff before each retry").hasSize(2);
  }

  @Test
  void whenSwiftStaysUnavailableTheFetchFailsNamingTheStatusAndKeepsTheConversation() {
    start(FileFaults.none().withUnavailable(1000), AgentLogin.demo().password());
    String path = sim.hostedFilePaths().get(0);

    assertThatThrownBy(() -> fetcher.fetch(hosted(path)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("cannot download " + path + " after 4 attempts: HTTP 503")
        .hasMessageContaining("the conversation is kept and tried again");
    assertThat(sim.fileCounters().unavailable()).isEqualTo(4);
    assertThat(sim.fileCounters().downloads()).isZero();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aBodyThatTricklesInPastTheTimeoutIsAbandonedAndTheFetchFailsNamingIt() {
    // 1 KB every 100 ms: no read waits long enough to time out, yet the body takes seconds
    assertFetchTimesOut(FileFaults.none().withTrickles(1000));
    assertThat(sim.fileCounters().trickled()).isEqualTo(3);
  }

  @Test
  void theAdmissionIsAskedWithTheSizeBeforeTheBodyIsReadAndItsWaitIsNotCutOff() throws Exception {
    start(FileFaults.none(), AgentLogin.demo().password(), Clock.systemUTC(), STALL_TIMEOUT);
    String path = sim.hostedFilePaths().get(0);
    List<String> admitted = new ArrayList<>();

    // held back three times the 700 ms the body may take: the wait is not the body's time
    SharedFile file =
        fetcher.fetch(
            hosted(path),
            (p, bytes) -> {
              admitted.add(p + " " + bytes);
              Thread.sleep(3 * STALL_TIMEOUT.requestTimeout().toMillis());
            });

    assertThat(((SharedFile.Downloaded) file).bytes()).isEqualTo(sim.hostedFileContent(path));
    assertThat(admitted).containsExactly(path + " " + sim.hostedFileContent(path).length);
    assertThat(sim.fileCounters().downloads()).isEqualTo(1);
  }

  @Test
  void whenEveryDownloadStallsTheFetchFailsNamingTheTimeoutAndKeepsTheConversation() {
    assertFetchTimesOut(FileFaults.none().withStalls(1000, Duration.ofSeconds(30)));
    assertThat(sim.fileCounters().stalledDownloads()).isEqualTo(3);
  }

  @Test
  void aFileRemovedByRtbfIsReportedUnavailableNotAnError() throws Exception {
    start(new FileFaults(false, 1), AgentLogin.demo().password());
    String gone = sim.removedHostedFiles().get(0);
    SharedFile file = fetcher.fetch(hosted(gone));
    assertThat(file).isInstanceOf(SharedFile.Unavailable.class);
    assertThat(((SharedFile.Unavailable) file).reason())
        .contains("no longer holds")
        .contains("404");
    assertThat(sim.fileCounters().notFound()).isEqualTo(1);
  }

  @Test
  void anEndedSessionLogsInAgainTransparently() throws Exception {
    start(FileFaults.none(), AgentLogin.demo().password());
    List<String> paths = sim.hostedFilePaths();
    assertThat(fetcher.fetch(hosted(paths.get(0)))).isInstanceOf(SharedFile.Downloaded.class);
    sim.endLoginSessions();
    assertThat(fetcher.fetch(hosted(paths.get(1)))).isInstanceOf(SharedFile.Downloaded.class);
    assertThat(sim.fileCounters().logins()).isEqualTo(2);
  }

  @Test
  void aWrongPasswordStopsWithTheKeyToFixAndNeverThePassword() {
    start(FileFaults.none(), "wrong-password-123");
    String path = sim.hostedFilePaths().get(0);
    assertThatThrownBy(() -> fetcher.fetch(hosted(path)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("source.liveperson.files.login.password")
        .hasMessageContaining("HTTP 401")
        .hasMessageNotContaining("wrong-password-123")
        .satisfies(
            e ->
                assertThat(((SourceException) e).kind())
                    .isEqualTo(SourceException.Kind.AUTHENTICATION));
    assertThatThrownBy(() -> fetcher.checkAccess()).isInstanceOf(SourceException.class);
  }

  @Test
  void aLinkIsNotAHostedFile() {
    start(FileFaults.none(), AgentLogin.demo().password());
    FileReference link =
        new FileReference(Optional.empty(), Optional.of("https://brand.example/t.pdf"), "PDF", "");
    assertThatThrownBy(() -> fetcher.fetch(link)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A client of {@code sim} with its demo credentials and the fast retries of these tests. */
  static LivePersonClient demoClient(LivePersonSimulator sim) {
    return SimulatorClients.demo(sim, FAST);
  }
}
