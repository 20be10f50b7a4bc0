package io.lparchiver.sim.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.lparchiver.sim.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Microsoft Graph + Entra ID simulator on 127.0.0.1 (reference/microsoft365-target.md section
 * 11): the client-credentials token endpoint, {@code /v1.0/users}, Inbox child folders, JSON
 * message create with the server's validation, attachments, upload sessions, the extended-property
 * {@code $filter}, per-mailbox concurrency limit (429 {@code MailboxConcurrency}), seeded 429 / 503
 * / dropped connections, and a permissions switch (403). Tests read the mailboxes back with {@link
 * #mailbox}; attachment bytes are hashed on arrival and never kept.
 *
 * <p>Thread-safe; serves on a pool large enough for several mailboxes at the concurrency limit
 * ({@link Builder#serverThreads} for more).
 */
public final class GraphSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GraphSimulator.class);

  /** The default client secret: a fixed, non-secret value for tests and the demo. */
  public static final String DEMO_CLIENT_SECRET = "sim-client-secret";

  static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  private static final long MAX_DRAINED_BYTES = 512L * 1024 * 1024;
  private static final int DEFAULT_THREADS = 48;
  private static final Pattern USERS_ANY =
      Pattern.compile(
          "proxyAddresses/any\\((\\w+):\\s*\\1 eq '((?:[^']|'')*)'\\)", Pattern.CASE_INSENSITIVE);
  private static final Pattern USERS_MAIL = Pattern.compile("mail eq '((?:[^']|'')*)'");

  @FunctionalInterface
  private interface MailboxHandler {
    Res handle(SimMailbox box, String mailboxId, Req req) throws GraphError;
  }

  /** A route; {@code mailbox} routes take the user from group 0 and count against its limits. */
  private record Route(String method, Pattern path, boolean mailbox, MailboxHandler handler) {}

  private final Builder settings;
  private final Clock clock;
  private final List<GraphUser> users;
  private final Map<String, SimMailbox> mailboxes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final AtomicInteger throttled = new AtomicInteger();
  private final AtomicInteger budgetRejections = new AtomicInteger();
  private final Map<String, ArrayDeque<Instant>> recentRequests = new ConcurrentHashMap<>();
  private final AtomicInteger concurrencyRejections = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final AtomicInteger stalled = new AtomicInteger();
  private final AtomicInteger unauthorized = new AtomicInteger();
  private final Object faultLock = new Object();
  private final Object lifecycle = new Object();
  private volatile boolean mailReadWrite;
  private volatile boolean userReadAll;
  private long mailboxRequests;
  private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
  // nanoseconds the answered requests of each mailbox held one of its concurrency slots
  private final Map<String, AtomicLong> heldNanos = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> firstServed = new AtomicReference<>();
  private final AtomicReference<Instant> lastServed = new AtomicReference<>();
  private int faultRotation;
  private int faults429;
  private int faults503;
  private int faultsDropped;
  private int faultsStalled;
  private LoopbackHttpServer server;
  private TokenEndpoint tokens;
  private MailApi mail;
  private List<Route> routes = List.of();

  private GraphSimulator(Builder b) {
    this.settings = b;
    this.clock = b.clock;
    this.users = new CopyOnWriteArrayList<>(b.users);
    this.mailReadWrite = b.mailReadWrite;
    this.userReadAll = b.userReadAll;
    this.faults429 = b.faults.tooManyRequests();
    this.faults503 = b.faults.serviceUnavailable();
    this.faultsDropped = b.faults.droppedConnections();
    this.faultsStalled = b.faults.stalledResponses();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds 127.0.0.1 and starts serving. */
  public GraphSimulator start() {
    synchronized (lifecycle) {
      if (server != null) {
        throw new IllegalStateException("already started");
      }
      server = LoopbackHttpServer.bind(settings.port, 128);
      String base = "http://" + LoopbackHttpServer.LOOPBACK + ":" + server.port();
      tokens =
          new TokenEndpoint(
              settings.tenantId,
              settings.clientId,
              settings.clientSecret,
              Optional.ofNullable(settings.certificate),
              settings.tokenLifetime,
              clock);
      mail =
          new MailApi(
              clock,
              settings.pageSize,
              settings.folderExistsStatus,
              settings.sessionLifetime,
              base,
              settings.maxAttachmentBytes);
      routes = routes();
      server.start("graph-sim", settings.serverThreads, this::exchange);
      LOG.info("Graph simulator for tenant {} on {}", settings.tenantId, base);
      return this;
    }
  }

  private List<Route> routes() {
    String user = "/v1\\.0/users/([^/]+)";
    String folder = user + "/mailFolders/([^/]+)";
    String message = user + "/messages/([^/]+)";
    return List.of(
        new Route(
            "GET",
            Pattern.compile(folder + "/childFolders"),
            true,
            (b, id, r) -> mail.listChildFolders(b, r)),
        new Route(
            "POST",
            Pattern.compile(folder + "/childFolders"),
            true,
            (b, id, r) -> mail.createChildFolder(b, r)),
        new Route(
            "GET",
            Pattern.compile(folder + "/messages"),
            true,
            (b, id, r) -> mail.listMessages(b, r)),
        new Route(
            "POST",
            Pattern.compile(folder + "/messages"),
            true,
            (b, id, r) -> mail.createMessage(b, r)),
        new Route("GET", Pattern.compile(message), true, (b, id, r) -> mail.getMessage(b, r)),
        new Route("PATCH", Pattern.compile(message), true, (b, id, r) -> mail.patchMessage(b, r)),
        new Route("DELETE", Pattern.compile(message), true, (b, id, r) -> mail.deleteMessage(b, r)),
        new Route(
            "GET",
            Pattern.compile(message + "/attachments/([^/]+)/\\$value"),
            true,
            (b, id, r) -> mail.attachmentValue(b, r)),
        new Route(
            "GET",
            Pattern.compile(message + "/attachments"),
            true,
            (b, id, r) -> mail.listAttachments(b, r)),
        new Route(
            "POST",
            Pattern.compile(message + "/attachments"),
            true,
            (b, id, r) -> mail.addAttachment(b, r)),
        new Route(
            "POST",
            Pattern.compile(message + "/attachments/createUploadSession"),
            true,
            mail::createUploadSession),
        new Route("GET", Pattern.compile(user), false, (b, id, r) -> user(r)),
        new Route("GET", Pattern.compile("/v1\\.0/users"), false, (b, id, r) -> findUsers(r)));
  }

  // --- public API for tests and the demo --------------------------------------------------

  /** The Graph root to configure as {@code target.graph.baseUrl}. */
  public URI baseUrl() {
    return URI.create(origin() + "/v1.0");
  }

  /** The login host to configure as {@code target.graph.authority}. */
  public URI authority() {
    return URI.create(origin());
  }

  private String origin() {
    synchronized (lifecycle) {
      if (server == null) {
        throw new IllegalStateException("not started");
      }
      return "http://" + LoopbackHttpServer.LOOPBACK + ":" + server.port();
    }
  }

  public String tenantId() {
    return settings.tenantId;
  }

  public String clientId() {
    return settings.clientId;
  }

  public List<GraphUser> users() {
    return List.copyOf(users);
  }

  public void addUser(GraphUser user) {
    users.add(user);
  }

  /** Grants or withdraws the application permission Mail.ReadWrite (403 on mailbox calls). */
  public void mailReadWrite(boolean granted) {
    this.mailReadWrite = granted;
  }

  /** Grants or withdraws User.Read.All (403 on /users). */
  public void userReadAll(boolean granted) {
    this.userReadAll = granted;
  }

  /** Makes every issued token expired, like a token running out mid-run. */
  public void expireTokens() {
    tokens.expireAll();
  }

  public GraphCounters counters() {
    return new GraphCounters(
        throttled.get(),
        concurrencyRejections.get(),
        unavailable.get(),
        dropped.get(),
        unauthorized.get(),
        tokens == null ? 0 : tokens.issued(),
        stalled.get());
  }

  /** The mailbox of the user with this address (UPN, mail or proxy address), if it was used. */
  public Optional<MailboxView> mailbox(String address) {
    Optional<GraphUser> user = byAddress(address);
    if (user.isEmpty()) {
      return Optional.empty();
    }
    SimMailbox box = mailboxes.get(user.get().id());
    int max = maxInFlight.getOrDefault(user.get().id(), new AtomicInteger()).get();
    return box == null
        ? Optional.of(new MailboxView(user.get(), List.of(), List.of(), max))
        : Optional.of(new MailboxView(user.get(), box.folders(), box.messages(), max));
  }

  /** Deletes a message as a user or admin could; false when it is not there. */
  public boolean deleteMessage(String address, String messageId) {
    SimMailbox box = byAddress(address).map(u -> mailboxes.get(u.id())).orElse(null);
    return box != null && box.delete(messageId);
  }

  /**
   * Changes one bit of a message's attachment (kept only for attachments sent inline or by POST),
   * as an edit behind the archiver's back would; false when there is no such attachment.
   */
  public boolean alterAttachment(String address, String messageId, String attachmentName) {
    SimMailbox box = byAddress(address).map(u -> mailboxes.get(u.id())).orElse(null);
    return box != null && box.alterAttachment(messageId, attachmentName);
  }

  /**
   * Replaces a message's body content (Graph refuses to PATCH the body of a non-draft item; MAPI or
   * EWS would not), as an edit behind the archiver's back; false when there is no such message.
   */
  public boolean alterBody(String address, String messageId, String content) {
    SimMailbox box = byAddress(address).map(u -> mailboxes.get(u.id())).orElse(null);
    return box != null && box.alterBody(messageId, content);
  }

  private Optional<GraphUser> byAddress(String address) {
    return users.stream()
        .filter(
            u ->
                u.answersTo(address)
                    || address.equalsIgnoreCase(u.mail())
                    || u.hasProxyAddress("smtp:" + address))
        .findFirst();
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (server != null) {
        server.close();
        LOG.info("Graph simulator stopped");
      }
    }
  }

  // --- request handling --------------------------------------------------------------------

  private void exchange(HttpExchange ex) throws IOException {
    String requestId = UUID.randomUUID().toString();
    String clientRequestId =
        Optional.ofNullable(ex.getRequestHeaders().getFirst("client-request-id")).orElse(requestId);
    Res res;
    boolean drop = false;
    boolean stall = false;
    try {
      Outcome o = dispatch(ex);
      res = o.res;
      drop = o.drop;
      stall = o.stall;
    } catch (GraphError e) {
      res = Res.graphError(e, requestId, clientRequestId, clock.instant().toString());
    } catch (RuntimeException e) {
      LOG.warn("simulator failed on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
      res =
          Res.graphError(
              new GraphError(500, "InternalServerError", "simulator internal error"),
              requestId,
              clientRequestId,
              clock.instant().toString());
    }
    if (!res.oauth()) {
      res = res.withHeaders(Map.of("request-id", requestId, "client-request-id", clientRequestId));
    }
    if (stall) {
      res.headers().forEach(ex.getResponseHeaders()::set);
      LoopbackHttpServer.sendJsonStalled(
          ex, res.status(), res.body(), false, settings.faults.stallFor());
      return;
    }
    send(ex, res, drop);
  }

  private record Outcome(Res res, boolean drop, boolean stall) {
    Outcome(Res res, boolean drop) {
      this(res, drop, false);
    }
  }

  private Outcome dispatch(HttpExchange ex) throws GraphError {
    String path = ex.getRequestURI().getRawPath();
    String method = ex.getRequestMethod();
    Map<String, String> headers = headers(ex);
    Matcher upload = Pattern.compile("/upload/([^/]+)").matcher(path);
    if (upload.matches()) {
      return uploadRequest(ex, method, path, headers, upload.group(1));
    }
    Matcher token = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token").matcher(path);
    if (token.matches() && method.equals("POST")) {
      byte[] body = readBody(ex);
      return new Outcome(
          tokens.token(req(ex, path, List.of(token.group(1)), headers, body)), false);
    }
    for (Route route : routes) {
      Matcher m = route.path().matcher(path);
      if (m.matches() && route.method().equals(method)) {
        return api(ex, route, m, headers);
      }
    }
    throw new GraphError(
        400, "BadRequest", "Resource not found for the segment in " + method + " " + path);
  }

  private Outcome api(HttpExchange ex, Route route, Matcher m, Map<String, String> headers)
      throws GraphError {
    byte[] body = readBody(ex);
    authenticate(headers);
    List<String> groups = new ArrayList<>();
    for (int i = 1; i <= m.groupCount(); i++) {
      groups.add(decodePath(m.group(i)));
    }
    Req req = req(ex, ex.getRequestURI().getRawPath(), groups, headers, body);
    if (!route.mailbox()) {
      if (!userReadAll) {
        throw new GraphError(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.");
      }
      return new Outcome(route.handler().handle(null, "", req), false);
    }
    GraphUser user = mailboxUser(groups.get(0));
    Req inner =
        new Req(
            req.method(), req.path(), groups.subList(1, groups.size()), req.query(), headers, body);
    return limited(
        user.id(),
        req.method().equals("POST"),
        () -> route.handler().handle(box(user), user.id(), inner));
  }

  @FunctionalInterface
  private interface Call {
    Res run() throws GraphError;
  }

  /**
   * The mailbox requests answered so far (after the limits and the latency; 429s, 503s and requests
   * the handler refused are not counted), per mailbox, with when the first and the last were
   * answered: what a throughput benchmark compares with the mailboxes' budget.
   */
  public GraphTraffic traffic() {
    Map<String, Long> perMailbox = new HashMap<>();
    served.forEach((id, n) -> perMailbox.put(id, n.get()));
    Map<String, Duration> held = new HashMap<>();
    heldNanos.forEach((id, n) -> held.put(id, Duration.ofNanos(n.get())));
    return new GraphTraffic(
        Map.copyOf(perMailbox),
        Map.copyOf(held),
        Optional.ofNullable(firstServed.get()),
        Optional.ofNullable(lastServed.get()));
  }

  private void countServed(String mailboxId, long admittedNanos) {
    served.computeIfAbsent(mailboxId, k -> new AtomicLong()).incrementAndGet();
    heldNanos
        .computeIfAbsent(mailboxId, k -> new AtomicLong())
        .addAndGet(System.nanoTime() - admittedNanos);
    Instant now = clock.instant();
    firstServed.compareAndSet(null, now);
    lastServed.accumulateAndGet(now, (a, b) -> a == null || b.isAfter(a) ? b : a);
  }

  /** Requests refused with 429 because the mailbox's request budget was used up. */
  public int budgetRejections() {
    return budgetRejections.get();
  }

  /** The sliding request window per mailbox: admitted requests in the last window. */
  private void spendBudget(String mailboxId) throws GraphError {
    if (settings.requestBudget == Integer.MAX_VALUE) {
      return;
    }
    ArrayDeque<Instant> recent = recentRequests.computeIfAbsent(mailboxId, k -> new ArrayDeque<>());
    synchronized (recent) {
      Instant now = clock.instant();
      Instant windowStart = now.minus(settings.budgetWindow);
      while (!recent.isEmpty() && !recent.peekFirst().isAfter(windowStart)) {
        recent.removeFirst();
      }
      if (recent.size() >= settings.requestBudget) {
        budgetRejections.incrementAndGet();
        Duration wait = Duration.between(windowStart, recent.peekFirst());
        throw new GraphError(
            429,
            "TooManyRequests",
            "Application is over its request limit for this mailbox.",
            Map.of("Retry-After", String.format(Locale.ROOT, "%.3f", wait.toMillis() / 1000.0)));
      }
      recent.addLast(now);
    }
  }

  /** Concurrency limit, seeded faults and latency around one mailbox request. */
  private Outcome limited(String mailboxId, boolean write, Call call) throws GraphError {
    spendBudget(mailboxId);
    AtomicInteger counter = inFlight.computeIfAbsent(mailboxId, k -> new AtomicInteger());
    long admitted = System.nanoTime();
    int now = counter.incrementAndGet();
    try {
      if (now > settings.mailboxConcurrency) {
        concurrencyRejections.incrementAndGet();
        throw new GraphError(
            429,
            "ApplicationThrottled",
            "Application is over its MailboxConcurrency limit.",
            Map.of("Retry-After", settings.faults.retryAfter()));
      }
      maxInFlight
          .computeIfAbsent(mailboxId, k -> new AtomicInteger())
          .accumulateAndGet(now, Math::max);
      String fault = nextFault(write);
      if (fault.equals("429")) {
        throttled.incrementAndGet();
        throw new GraphError(
            429,
            "TooManyRequests",
            "Too many requests.",
            Map.of("Retry-After", settings.faults.retryAfter()));
      }
      if (fault.equals("503")) {
        unavailable.incrementAndGet();
        throw new GraphError(
            503,
            "serviceNotAvailable",
            "Service unavailable.",
            Map.of("Retry-After", settings.faults.retryAfter()));
      }
      // The latency is the request's whole service time, as a remote Graph's would be: the
      // simulator's own work (parsing, storing, the answer) is done within it, not added to it.
      // On a benchmark machine that work competes with the client for the same cores.
      long start = System.nanoTime();
      Res res = call.run();
      pause(settings.faults.latency().minusNanos(System.nanoTime() - start));
      countServed(mailboxId, admitted);
      if (fault.equals("drop")) {
        dropped.incrementAndGet();
      }
      if (fault.equals("stall")) {
        stalled.incrementAndGet();
      }
      return new Outcome(res, fault.equals("drop"), fault.equals("stall"));
    } finally {
      counter.decrementAndGet();
    }
  }

  private String nextFault(boolean write) {
    synchronized (faultLock) {
      mailboxRequests++;
      if (mailboxRequests % settings.faults.spacing() != 0) {
        return "";
      }
      for (int i = 0; i < 4; i++) {
        int kind = (faultRotation + i) % 4;
        if (kind == 0 && faults429 > 0) {
          faults429--;
          faultRotation = 1;
          return "429";
        }
        if (kind == 1 && faults503 > 0) {
          faults503--;
          faultRotation = 2;
          return "503";
        }
        if (kind == 2 && faultsDropped > 0 && write) {
          faultsDropped--;
          faultRotation = 3;
          return "drop";
        }
        if (kind == 3 && faultsStalled > 0) {
          faultsStalled--;
          faultRotation = 0;
          return "stall";
        }
      }
      return "";
    }
  }

  private Outcome uploadRequest(
      HttpExchange ex, String method, String path, Map<String, String> headers, String sessionId)
      throws GraphError {
    byte[] body = readBody(ex);
    if (headers.containsKey("authorization")) {
      throw new GraphError(
          401,
          "InvalidAuthenticationToken",
          "The uploadUrl is pre-authenticated; do not send an Authorization header.");
    }
    Req req = req(ex, path, List.of(sessionId), headers, body);
    String mailboxId =
        mail.sessionMailbox(sessionId)
            .orElseThrow(
                () ->
                    GraphError.notFound(
                        "ErrorItemNotFound", "The upload session does not exist or has expired."));
    SimMailbox box = mailboxes.get(mailboxId);
    return switch (method) {
      case "PUT" -> limited(mailboxId, false, () -> mail.uploadChunk(box, req));
      case "GET" -> new Outcome(mail.uploadStatus(req), false);
      case "DELETE" -> new Outcome(mail.cancelUpload(req), false);
      default ->
          throw new GraphError(405, "MethodNotAllowed", "Method not allowed on an uploadUrl.");
    };
  }

  private void authenticate(Map<String, String> headers) throws GraphError {
    String auth = headers.getOrDefault("authorization", "");
    if (!auth.startsWith("Bearer ") || !tokens.valid(auth.substring(7))) {
      unauthorized.incrementAndGet();
      throw new GraphError(
          401,
          "InvalidAuthenticationToken",
          auth.isEmpty()
              ? "Access token is empty."
              : "Access token has expired or is not yet valid.");
    }
  }

  private GraphUser mailboxUser(String idOrUpn) throws GraphError {
    GraphUser user =
        users.stream()
            .filter(u -> u.answersTo(idOrUpn))
            .findFirst()
            .orElseThrow(
                () ->
                    GraphError.notFound(
                        "ErrorInvalidUser", "The requested user '" + idOrUpn + "' is invalid."));
    if (!mailReadWrite) {
      throw new GraphError(
          403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    }
    if (!user.hasMailbox()) {
      throw GraphError.notFound(
          "MailboxNotEnabledForRESTAPI",
          "The mailbox is either inactive, soft-deleted, or is hosted on-premise.");
    }
    return user;
  }

  private SimMailbox box(GraphUser user) {
    return mailboxes.computeIfAbsent(user.id(), k -> new SimMailbox());
  }

  private Res user(Req req) throws GraphError {
    String idOrUpn = req.group(0);
    GraphUser u =
        users.stream()
            .filter(x -> x.answersTo(idOrUpn))
            .findFirst()
            .orElseThrow(
                () ->
                    GraphError.notFound(
                        "Request_ResourceNotFound",
                        "Resource '"
                            + idOrUpn
                            + "' does not exist or one of its queried reference-property objects are not present."));
    return Res.json(200, userJson(u));
  }

  private Res findUsers(Req req) throws GraphError {
    String filter = req.param("$filter").orElse("").trim();
    Matcher any = USERS_ANY.matcher(filter);
    Matcher mail = USERS_MAIL.matcher(filter);
    List<GraphUser> hits;
    if (any.matches()) {
      String proxy = MailApi.unquote(any.group(2));
      hits = users.stream().filter(u -> u.hasProxyAddress(proxy)).toList();
    } else if (mail.matches()) {
      String address = MailApi.unquote(mail.group(1));
      hits = users.stream().filter(u -> address.equalsIgnoreCase(u.mail())).toList();
    } else {
      throw GraphError.badRequest("Request_UnsupportedQuery", "Unsupported query: " + filter);
    }
    ObjectNode body = Res.JSON.createObjectNode();
    ArrayNode value = body.putArray("value");
    hits.forEach(u -> value.add(userJson(u)));
    return Res.json(200, body);
  }

  private static ObjectNode userJson(GraphUser u) {
    ObjectNode n = Res.JSON.createObjectNode();
    n.put("id", u.id());
    n.put("userPrincipalName", u.userPrincipalName());
    n.put("mail", u.mail());
    ArrayNode proxies = n.putArray("proxyAddresses");
    u.proxyAddresses().forEach(proxies::add);
    return n;
  }

  // --- plumbing ----------------------------------------------------------------------------

  private static Map<String, String> headers(HttpExchange ex) {
    Map<String, String> headers = new HashMap<>();
    ex.getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
              }
            });
    return headers;
  }

  private static Req req(
      HttpExchange ex, String path, List<String> groups, Map<String, String> headers, byte[] body)
      throws GraphError {
    try {
      return new Req(
          ex.getRequestMethod(),
          path,
          groups,
          parseForm(ex.getRequestURI().getRawQuery()),
          headers,
          body);
    } catch (IllegalArgumentException e) {
      throw GraphError.badRequest("BadRequest", "Malformed query string.");
    }
  }

  /** Reads at most 4 MB; a larger body is drained (so the client sees the reply) and refused. */
  private static byte[] readBody(HttpExchange ex) throws GraphError {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_REQUEST_BYTES + 1);
      if (body.length > MAX_REQUEST_BYTES) {
        long drained = 0;
        byte[] buf = new byte[65536];
        for (int n; drained < MAX_DRAINED_BYTES && (n = in.read(buf)) > 0; ) {
          drained += n;
        }
        throw new GraphError(
            413, "RequestEntityTooLarge", "The request body exceeds the 4 MB limit.");
      }
      return body;
    } catch (IOException e) {
      throw GraphError.badRequest("BadRequest", "The request body cannot be read.");
    }
  }

  /** Decodes an {@code application/x-www-form-urlencoded} string (also used for queries). */
  static Map<String, String> parseForm(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  static String formatQuery(Map<String, String> query) {
    return query.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decodePath(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void pause(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      Thread.sleep((d.toNanos() + 999_999) / 1_000_000); // never shorter than asked
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange ex, Res res, boolean drop) throws IOException {
    res.headers().forEach(ex.getResponseHeaders()::set);
    LoopbackHttpServer.sendJson(ex, res.status(), res.body(), drop);
  }

  /** Builder; every setting has a default that works for a test. */
  public static final class Builder {
    private int port;
    private String tenantId = "00000000-0000-4000-8000-00000000a11c";
    private String clientId = "11111111-2222-4333-8444-555555555555";
    private String clientSecret = DEMO_CLIENT_SECRET;
    private X509Certificate certificate;
    private Duration tokenLifetime = Duration.ofSeconds(3599);
    private Duration sessionLifetime = Duration.ofMinutes(15);
    private final List<GraphUser> users = new ArrayList<>();
    private GraphFaults faults = GraphFaults.none();
    private int pageSize = 10;
    private int folderExistsStatus = 409;
    private int mailboxConcurrency = 4;
    private int serverThreads = DEFAULT_THREADS;
    private long maxAttachmentBytes = MailApi.MAX_ATTACHMENT_BYTES;
    private int requestBudget = Integer.MAX_VALUE;
    private Duration budgetWindow = Duration.ofMinutes(10);
    private boolean mailReadWrite = true;
    private boolean userReadAll = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder tenantId(String tenantId) {
      this.tenantId = Objects.requireNonNull(tenantId);
      return this;
    }

    public Builder client(String clientId, String clientSecret) {
      this.clientId = Objects.requireNonNull(clientId);
      this.clientSecret = Objects.requireNonNull(clientSecret);
      return this;
    }

    /** Registers a certificate: client assertions signed with its key are accepted. */
    public Builder certificate(X509Certificate certificate) {
      this.certificate = Objects.requireNonNull(certificate);
      return this;
    }

    public Builder tokenLifetime(Duration lifetime) {
      this.tokenLifetime = Objects.requireNonNull(lifetime);
      return this;
    }

    public Builder sessionLifetime(Duration lifetime) {
      this.sessionLifetime = Objects.requireNonNull(lifetime);
      return this;
    }

    public Builder user(GraphUser user) {
      users.add(Objects.requireNonNull(user));
      return this;
    }

    public Builder users(List<GraphUser> list) {
      users.addAll(list);
      return this;
    }

    public Builder faults(GraphFaults faults) {
      this.faults = Objects.requireNonNull(faults);
      return this;
    }

    /** Items per page of list calls (default 10), to exercise {@code @odata.nextLink}. */
    public Builder pageSize(int pageSize) {
      this.pageSize = pageSize;
      return this;
    }

    /** HTTP status of {@code ErrorFolderExists}: reported as 400 by some, 409 by others. */
    public Builder folderExistsStatus(int status) {
      this.folderExistsStatus = status;
      return this;
    }

    /** A tenant that takes smaller attachments than Graph's 150 MB (all paths enforce it). */
    public Builder maxAttachmentBytes(long max) {
      this.maxAttachmentBytes = max;
      return this;
    }

    /**
     * Graph's request limit per app and mailbox (10,000 per 10 minutes), usually lowered for a
     * test: beyond it requests get 429 {@code TooManyRequests} with a Retry-After. Off by default.
     */
    public Builder requestBudget(int requests, Duration window) {
      this.requestBudget = requests;
      this.budgetWindow = Objects.requireNonNull(window);
      return this;
    }

    public Builder mailboxConcurrency(int limit) {
      this.mailboxConcurrency = limit;
      return this;
    }

    /**
     * Threads that serve requests (default 48). The simulated latency holds a thread, so a
     * benchmark that keeps every mailbox at its concurrency limit needs at least mailboxes × limit
     * of them, or the simulator, not the client, caps the throughput.
     */
    public Builder serverThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("serverThreads must be at least 1");
      }
      this.serverThreads = threads;
      return this;
    }

    /** false: the app lacks the Mail.ReadWrite application permission (403 on mailboxes). */
    public Builder mailReadWrite(boolean granted) {
      this.mailReadWrite = granted;
      return this;
    }

    /** false: the app lacks User.Read.All (403 on /users). */
    public Builder userReadAll(boolean granted) {
      this.userReadAll = granted;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public GraphSimulator build() {
      return new GraphSimulator(this);
    }
  }
}
