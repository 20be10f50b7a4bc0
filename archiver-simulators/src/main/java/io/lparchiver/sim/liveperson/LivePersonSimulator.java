package io.lparchiver.sim.liveperson;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.lparchiver.sim.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A LivePerson Conversational Cloud simulator on 127.0.0.1: Domain API, Messaging Interactions
 * search and by-id, Engagement History search (legacy chat), Users API v4, the Login Service and
 * the swift file host on one port, with OAuth 1.0a verification and seeded faults; plus the agent
 * messaging websocket (which signs file download URLs) on a second port. Used by tests, the {@code
 * demo} command and {@code simulate liveperson}.
 *
 * <p>Thread-safe; serves requests on a small fixed pool so clients can page in parallel.
 */
public final class LivePersonSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LivePersonSimulator.class);
  private static final String LOOPBACK = LoopbackHttpServer.LOOPBACK;
  private static final int MAX_BODY_BYTES = 1 << 20;
  private static final int MAX_LOGGED_REQUESTS = 100_000;
  private static final int THREADS = 8;

  @FunctionalInterface
  private interface Handler {
    SimResponse handle(SimRequest request) throws ApiException;
  }

  private record Route(String method, Pattern path, boolean signed, Handler handler) {}

  private final String account;
  private final int requestedPort;
  private final SeededDataSet dataSet;
  private final Clock clock;
  private final OAuth1Verifier verifier;
  private final FaultInjector faults;
  private final AgentLogin agentLogin;
  private final FileFaults fileFaults;
  private final Duration signingLatency;
  private final HostedFiles hostedFiles;
  private LoginService login;
  private SwiftHost swift;
  private MessagingWebSocket websocket;
  private final Deque<RecordedRequest> log = new ArrayDeque<>();
  private final Object lifecycle = new Object();
  private LoopbackHttpServer server;
  private List<Route> routes = List.of();

  private LivePersonSimulator(Builder b, SeededDataSet dataSet, String account) {
    this.account = account;
    this.requestedPort = b.port;
    this.dataSet = dataSet;
    this.clock = b.clock;
    this.verifier = new OAuth1Verifier(b.credentials);
    this.faults = new FaultInjector(b.faults);
    this.agentLogin = b.agentLogin;
    this.fileFaults = b.fileFaults;
    this.signingLatency = b.signingLatency;
    this.hostedFiles = new HostedFiles(dataSet);
    hostedFiles.paths().stream().limit(fileFaults.goneFiles()).forEach(hostedFiles::remove);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds 127.0.0.1 and starts serving. */
  public LivePersonSimulator start() {
    synchronized (lifecycle) {
      if (server != null) {
        throw new IllegalStateException("already started");
      }
      server = LoopbackHttpServer.bind(requestedPort, 64);
      String baseUri = LOOPBACK + ":" + server.port();
      login = new LoginService(account, agentLogin, clock);
      swift = new SwiftHost(account, hostedFiles, clock, fileFaults);
      websocket = new MessagingWebSocket(account, login, swift, signingLatency);
      websocket.startAndWait();
      routes = routes(baseUri, LOOPBACK + ":" + websocket.getPort());
      server.start("lp-sim", THREADS, this::exchange);
      LOG.info("LivePerson simulator for account {} on http://{}", account, baseUri);
      return this;
    }
  }

  private List<Route> routes(String baseUri, String websocketUri) {
    DomainApi domain = new DomainApi(account, baseUri, Map.of("asyncMessagingEnt", websocketUri));
    UsersApi users = new UsersApi(dataSet);
    MessagingInteractionsApi mi =
        new MessagingInteractionsApi(dataSet, clock, faults, "http://" + baseUri);
    EngagementHistoryApi eh = new EngagementHistoryApi(dataSet, faults, "http://" + baseUri);
    String acct = "/api/account/([^/]+)";
    String history = "/messaging_history/api/account/([^/]+)/conversations";
    return List.of(
        new Route(
            "GET", Pattern.compile(acct + "/service/([^/]+)/baseURI\\.json"), false, domain::one),
        new Route("GET", Pattern.compile(acct + "/service/baseURI\\.json"), false, domain::all),
        new Route(
            "GET",
            Pattern.compile("/csdr/account/([^/]+)/service/baseURI\\.json"),
            false,
            domain::all),
        new Route(
            "GET", Pattern.compile(acct + "/configuration/le-users/users"), true, users::list),
        new Route(
            "GET",
            Pattern.compile(acct + "/configuration/le-users/users/([^/]+)"),
            true,
            users::one),
        new Route("POST", Pattern.compile(acct + "/login"), false, login::login),
        new Route("POST", Pattern.compile(acct + "/refresh"), false, login::refresh),
        new Route("POST", Pattern.compile(history + "/search"), true, mi::search),
        new Route("POST", Pattern.compile(history + "/conversation/search"), true, mi::byId),
        new Route(
            "POST",
            Pattern.compile("/interaction_history/api/account/([^/]+)/interactions/search"),
            true,
            eh::search));
  }

  public URI domainApiUri() {
    return URI.create("http://" + LOOPBACK + ":" + port());
  }

  public int port() {
    synchronized (lifecycle) {
      if (server == null) {
        throw new IllegalStateException("not started");
      }
      return server.port();
    }
  }

  public String account() {
    return account;
  }

  public SeededDataSet dataSet() {
    return dataSet;
  }

  public FaultCounters faultCounters() {
    return faults.counters();
  }

  /** Requests in arrival order (the most recent 100,000). */
  public List<RecordedRequest> requestLog() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** The agent user the Login Service accepts. */
  public AgentLogin agentLogin() {
    return agentLogin;
  }

  /** Every hosted file ({@code relativePath}) the data set references, RTBF-removed ones too. */
  public List<String> hostedFilePaths() {
    return hostedFiles.paths();
  }

  /** The bytes swift serves for a hosted file (whether or not it was removed since). */
  public byte[] hostedFileContent(String relativePath) {
    if (!hostedFiles.paths().contains(relativePath)) {
      throw new IllegalArgumentException("no hosted file " + relativePath);
    }
    DataSetSpec spec = dataSet.spec();
    return HostedFiles.bytes(relativePath, spec.seed(), spec.fileBytes(), spec.largeFilePercent());
  }

  /**
   * How many conversations reference a large hosted file ({@link DataSetSpec#largeFilePercent}).
   */
  public int conversationsWithLargeFiles() {
    return hostedFiles.conversationsWithLargeFiles();
  }

  /** The content type swift serves for a hosted file. */
  public static String hostedFileContentType(String relativePath) {
    return HostedFiles.contentType(relativePath);
  }

  /** Personal Data Deletion removed the file: swift answers 404 from now on. */
  public void removeHostedFile(String relativePath) {
    hostedFiles.remove(relativePath);
  }

  /**
   * Hosted files removed so far (by {@link FileFaults#goneFiles()} or {@link #removeHostedFile}).
   */
  public List<String> removedHostedFiles() {
    return hostedFiles.removed();
  }

  /**
   * Ends every Login Service session and closes the websockets opened with them: a client must log
   * in again (a handshake with an old bearer fails).
   */
  public void endLoginSessions() {
    synchronized (lifecycle) {
      if (login != null) {
        login.endSessions();
        websocket.closeAll(4401, "session ended");
      }
    }
  }

  /** The most file-signing requests the messaging websocket held unanswered at one time. */
  public int signingRequestsInFlightPeak() {
    synchronized (lifecycle) {
      return websocket == null ? 0 : websocket.peakInFlight();
    }
  }

  public FileCounters fileCounters() {
    synchronized (lifecycle) {
      if (swift == null) {
        return new FileCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      }
      return new FileCounters(
          login.logins.get(),
          login.refreshes.get(),
          swift.signed.get(),
          swift.downloads.get(),
          swift.refusedExpired.get(),
          swift.refusedInvalid.get(),
          swift.notFound.get(),
          swift.stalled.get(),
          swift.unavailable.get(),
          swift.trickled.get());
    }
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (websocket != null) {
        websocket.shutdown();
      }
      if (server != null) {
        server.close();
        LOG.info("LivePerson simulator stopped");
      }
    }
  }

  private void exchange(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    if (path.startsWith(SwiftHost.PATH_PREFIX)) {
      // the swift host serves bytes, not JSON; its query (the signature) is not logged
      int status = swift.serve(ex);
      record(new RecordedRequest(ex.getRequestMethod(), path, "", status));
      return;
    }
    SimResponse response;
    byte[] body = new byte[0];
    try {
      body = readBody(ex);
      response = dispatch(ex, path, query, body);
    } catch (ApiException e) {
      response = SimResponse.error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("simulator failed on {} {}", ex.getRequestMethod(), path, e);
      response = SimResponse.error(500, "simulator internal error");
    }
    record(
        new RecordedRequest(
            ex.getRequestMethod(),
            path,
            query == null ? "" : query,
            response.status(),
            // search criteria hold no secret (a Login Service body does): tests read the windows
            path.endsWith("/search") ? new String(body, StandardCharsets.UTF_8) : ""));
    LOG.debug("{} {} -> {}", ex.getRequestMethod(), path, response.status());
    send(ex, response);
  }

  private SimResponse dispatch(HttpExchange ex, String path, String query, byte[] body)
      throws ApiException {
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher m = route.path().matcher(path);
      if (!m.matches()) {
        continue;
      }
      pathKnown = true;
      if (!route.method().equals(ex.getRequestMethod())) {
        continue;
      }
      SimRequest req = request(ex, path, query, m, body);
      if (route.signed()) {
        verifier.verify(
            req.method(), req.host(), path, query, req.header("authorization").orElse(null));
        if (!account.equals(req.pathParam(0))) {
          throw new ApiException(403, "app key is not authorised for account " + req.pathParam(0));
        }
      }
      return route.handler().handle(req);
    }
    throw pathKnown
        ? new ApiException(405, "method " + ex.getRequestMethod() + " not allowed")
        : new ApiException(404, "no such resource");
  }

  private SimRequest request(HttpExchange ex, String path, String query, Matcher m, byte[] body)
      throws ApiException {
    List<String> groups = new ArrayList<>();
    for (int i = 1; i <= m.groupCount(); i++) {
      groups.add(m.group(i));
    }
    Map<String, String> headers = new HashMap<>();
    ex.getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    String host = headers.getOrDefault("host", LOOPBACK + ":" + server.port());
    try {
      return new SimRequest(
          ex.getRequestMethod(),
          host,
          path,
          query,
          PercentCodec.parseQuery(query),
          groups,
          headers,
          body);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "malformed query string");
    }
  }

  private static byte[] readBody(HttpExchange ex) throws ApiException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new ApiException(413, "request body over 1 MiB");
      }
      return body;
    } catch (IOException e) {
      throw new ApiException(400, "request body cannot be read");
    }
  }

  private void record(RecordedRequest r) {
    synchronized (log) {
      if (log.size() >= MAX_LOGGED_REQUESTS) {
        log.removeFirst();
      }
      log.addLast(r);
    }
  }

  private void send(HttpExchange ex, SimResponse response) throws IOException {
    Headers headers = ex.getResponseHeaders();
    response.headers().forEach(headers::set);
    if (response.status() == 304) {
      ex.sendResponseHeaders(304, -1);
      ex.close();
      return;
    }
    switch (response.cut()) {
      case STALL_BEFORE_HEADERS, STALL_MID_BODY ->
          LoopbackHttpServer.sendJsonStalled(
              ex,
              response.status(),
              response.body(),
              response.cut() == SimResponse.Cut.STALL_BEFORE_HEADERS,
              faults.stallFor());
      default ->
          LoopbackHttpServer.sendJson(
              ex,
              response.status(),
              response.body(),
              response.cut() == SimResponse.Cut.DROP_MID_BODY);
    }
  }

  /** Builder; see the class comment of each setting's type for defaults. */
  public static final class Builder {
    private String account;
    private int port;
    private SimulatorCredentials credentials = SimulatorCredentials.demo();
    private SeededDataSet dataSet;
    private Faults faults = Faults.none();
    private Clock clock = Clock.systemUTC();
    private AgentLogin agentLogin = AgentLogin.demo();
    private FileFaults fileFaults = FileFaults.none();
    private Duration signingLatency = Duration.ZERO;

    private Builder() {}

    /**
     * How long the messaging websocket takes to answer each signing request, as a network between
     * the archiver and LivePerson would (default: none). Requests in flight together are answered
     * together.
     */
    public Builder signingLatency(Duration signingLatency) {
      if (signingLatency.isNegative()) {
        throw new IllegalArgumentException("signingLatency must not be negative");
      }
      this.signingLatency = signingLatency;
      return this;
    }

    /** The agent user the Login Service accepts (for the file download path). */
    public Builder agentLogin(AgentLogin agentLogin) {
      this.agentLogin = Objects.requireNonNull(agentLogin, "agentLogin");
      return this;
    }

    public Builder fileFaults(FileFaults fileFaults) {
      this.fileFaults = Objects.requireNonNull(fileFaults, "fileFaults");
      return this;
    }

    /** Default: the data set's account, or {@value SeededDataSet#DEFAULT_ACCOUNT}. */
    public Builder account(String account) {
      this.account = Objects.requireNonNull(account, "account");
      return this;
    }

    /** 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535");
      }
      this.port = port;
      return this;
    }

    public Builder credentials(SimulatorCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Default: the demo shape (200 conversations, 5 agents, seed 1) ending at the clock hour. */
    public Builder dataSet(SeededDataSet dataSet) {
      this.dataSet = Objects.requireNonNull(dataSet, "dataSet");
      return this;
    }

    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** "Now" for open conversations' running duration and {@code "to":-1}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public LivePersonSimulator build() {
      SeededDataSet data = dataSet;
      if (data == null) {
        DataSetSpec spec = DataSetSpec.demo(1L, clock.instant().truncatedTo(ChronoUnit.HOURS));
        data =
            SeededDataSet.generate(spec, account == null ? SeededDataSet.DEFAULT_ACCOUNT : account);
      }
      if (account != null && !account.equals(data.account())) {
        throw new IllegalArgumentException(
            "account " + account + " differs from the data set's account " + data.account());
      }
      return new LivePersonSimulator(this, data, data.account());
    }
  }
}
