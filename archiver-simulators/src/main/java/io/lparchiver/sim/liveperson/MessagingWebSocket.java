package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent messaging websocket ({@code asyncMessagingEnt}) at {@code
 * /ws_api/account/{id}/messaging/brand/{bearer}?v=2}, answering only what an archiver needs: {@code
 * ms.GenerateURLForDownloadFile}. A bearer the Login Service does not know is refused at the
 * handshake (HTTP 401). Responses carry {@code reqId} = the request's {@code id}.
 *
 * <p>RFC 6455 over blocking sockets, a thread per connection, each answer written before the next
 * request is read (or, with a latency, scheduled, so that requests in flight together are answered
 * together, as LivePerson matches answers to requests by id). Written here rather than on a
 * websocket library: the one used before (Java-WebSocket 1.6.0) now and then left an answer in its
 * send queue, never written to the socket (its selector thread reset the write interest that the
 * answering thread had just set), and the archiver then waited out its answer timeout.
 */
final class MessagingWebSocket {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingWebSocket.class);
  private static final Pattern PATH =
      Pattern.compile("/ws_api/account/([^/]+)/messaging/brand/([^/?]+)(\\?.*)?");
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;
  private static final int MAX_MESSAGE_BYTES = 1024 * 1024;
  private static final int HANDSHAKE_TIMEOUT_MS = 10_000;
  private static final int OP_CONTINUATION = 0x0;
  private static final int OP_TEXT = 0x1;
  private static final int OP_CLOSE = 0x8;
  private static final int OP_PING = 0x9;
  private static final int OP_PONG = 0xA;

  private final String account;
  private final LoginService login;
  private final SwiftHost swift;
  private final Duration latency;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private ServerSocket server;
  private ScheduledExecutorService delayed; // answers after the latency, when there is one

  /**
   * @param latency how long each answer takes, as over a real network (answers to requests in
   *     flight together are not held up by each other); zero answers at once
   */
  MessagingWebSocket(String account, LoginService login, SwiftHost swift, Duration latency) {
    this.account = account;
    this.login = login;
    this.swift = swift;
    this.latency = latency;
  }

  /** Binds a free loopback port and accepts connections on a daemon thread. */
  void startAndWait() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
    } catch (IOException e) {
      throw new IllegalStateException("cannot bind the messaging websocket on loopback", e);
    }
    if (!latency.isZero()) {
      delayed =
          Executors.newSingleThreadScheduledExecutor(r -> daemon("messaging-websocket-latency", r));
    }
    daemon("messaging-websocket-accept", this::accept).start();
  }

  int getPort() {
    return server.getLocalPort();
  }

  /** The most requests read and not yet answered at one time, over all connections. */
  int peakInFlight() {
    return peakInFlight.get();
  }

  /** Closes every open connection with {@code code} (e.g. 4401 when the sessions end). */
  void closeAll(int code, String reason) {
    connections.forEach(c -> c.close(code, reason));
  }

  void shutdown() {
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the messaging websocket's port: {}", e.toString());
    }
    connections.forEach(Connection::abort);
    if (delayed != null) {
      delayed.shutdownNow();
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Connection c = new Connection(socket);
        daemon("messaging-websocket-" + socket.getPort(), c::serve).start();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("messaging websocket: cannot accept a connection: {}", e.toString());
        }
      }
    }
  }

  private static Thread daemon(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    return t;
  }

  /** What the answer to one request message is (the simulator's only behaviour). */
  private String answer(String message) {
    ObjectNode resp = SimResponse.JSON.createObjectNode();
    resp.put("kind", "resp");
    try {
      JsonNode req = SimResponse.JSON.readTree(message);
      JsonNode id = req.path("id");
      resp.set("reqId", id.isMissingNode() ? null : id);
      if (!"req".equals(req.path("kind").asText())) {
        error(resp, 400, "kind must be req");
      } else if (!"ms.GenerateURLForDownloadFile".equals(req.path("type").asText())) {
        error(resp, 400, "unsupported request type " + req.path("type").asText());
      } else {
        String path = req.path("body").path("relativePath").asText("");
        if (path.isEmpty()) {
          error(resp, 400, "body.relativePath is required");
        } else if (!swift.mayAccess(path)) {
          error(resp, 403, "Agent not allowed");
        } else {
          resp.put("code", 200);
          ObjectNode body = resp.putObject("body");
          body.put("relativePath", path);
          body.set("queryParams", swift.sign(path));
          resp.put("type", "ms.BaseGenerateURLResponse");
        }
      }
    } catch (IOException e) {
      error(resp, 400, "request is not JSON");
    }
    return resp.toString();
  }

  private static void error(ObjectNode resp, int code, String message) {
    resp.put("code", code);
    resp.put("body", message);
    resp.put("type", "ms.GenericError");
  }

  /** One client connection: the handshake, then text requests answered in order. */
  private final class Connection {
    private final Socket socket;
    private OutputStream out;
    private volatile boolean closeSent; // the client's close then ends the connection

    Connection(Socket socket) {
      this.socket = socket;
    }

    void serve() {
      try (socket) {
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS); // a client that never finishes is let go
        if (!handshake(in)) {
          return;
        }
        socket.setSoTimeout(0); // an open websocket may stay idle between runs
        connections.add(this);
        LOG.debug("messaging websocket opened");
        readMessages(in);
      } catch (EOFException | SocketException e) {
        LOG.debug("messaging websocket closed: {}", e.toString());
      } catch (IOException e) {
        LOG.debug("messaging websocket error: {}", e.toString());
      } finally {
        connections.remove(this);
      }
    }

    /** Accepts the upgrade, or answers with an HTTP error and returns false. */
    private boolean handshake(InputStream in) throws IOException {
      String[] lines = readHead(in).split("\r\n");
      String[] requestLine = lines[0].split(" ");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      String key = headers.getOrDefault("sec-websocket-key", "");
      if (requestLine.length != 3
          || !"GET".equals(requestLine[0])
          || !headers.getOrDefault("upgrade", "").equalsIgnoreCase("websocket")
          || !"13".equals(headers.get("sec-websocket-version"))
          || key.isEmpty()) {
        refuse(400, "Bad Request");
        return false;
      }
      Matcher m = PATH.matcher(requestLine[1]);
      if (!m.matches() || !account.equals(m.group(1))) {
        refuse(404, "Not Found");
        return false;
      }
      if (!login.accept(m.group(2))) {
        refuse(401, "Unauthorized"); // bearer unknown or expired
        return false;
      }
      writeHead(
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + accept(key)
              + "\r\n\r\n");
      return true;
    }

    private void refuse(int status, String reason) throws IOException {
      writeHead(
          "HTTP/1.1 "
              + status
              + " "
              + reason
              + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    private void writeHead(String head) throws IOException {
      out.write(head.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }

    private void readMessages(DataInputStream in) throws IOException {
      ByteArrayOutputStream message = new ByteArrayOutputStream();
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        if ((b1 & 0x80) == 0) {
          close(1002, "client frames must be masked");
          return;
        }
        long length = b1 & 0x7F;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = in.readLong();
        }
        if (length < 0 || message.size() + length > MAX_MESSAGE_BYTES) {
          close(1009, "message too big");
          return;
        }
        byte[] mask = new byte[4];
        in.readFully(mask);
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i & 3];
        }
        switch (opcode) {
          case OP_TEXT, OP_CONTINUATION -> {
            message.write(payload);
            if (fin) {
              String text;
              try {
                text =
                    StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(message.toByteArray()))
                        .toString();
              } catch (CharacterCodingException e) {
                close(1007, "text is not UTF-8");
                return;
              }
              message.reset();
              peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              answerLater(answer(text).getBytes(StandardCharsets.UTF_8));
            }
          }
          case OP_PING -> send(OP_PONG, payload);
          case OP_PONG -> {
            // unsolicited pong: nothing to do
          }
          case OP_CLOSE -> {
            if (!closeSent) { // the client's close: answered with its code, then the end
              send(OP_CLOSE, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : payload);
            }
            return;
          }
          default -> {
            close(1003, "only text messages are understood");
            return;
          }
        }
      }
    }

    private void answerLater(byte[] answer) throws IOException {
      if (delayed == null) {
        answerNow(answer);
        return;
      }
      try {
        delayed.schedule(
            () -> {
              try {
                answerNow(answer);
              } catch (IOException e) {
                LOG.debug(
                    "messaging websocket: answer not sent, connection gone: {}", e.toString());
              }
            },
            latency.toNanos(),
            TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        inFlight.decrementAndGet(); // the simulator is stopping: no answer
        throw new SocketException("the messaging websocket is stopping");
      }
    }

    private void answerNow(byte[] answer) throws IOException {
      try {
        send(OP_TEXT, answer);
      } finally {
        inFlight.decrementAndGet();
      }
    }

    /** Sends a close frame; the client answers with its own, which ends {@link #serve}. */
    void close(int code, String reason) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      byte[] payload = new byte[2 + text.length];
      payload[0] = (byte) (code >> 8);
      payload[1] = (byte) code;
      System.arraycopy(text, 0, payload, 2, text.length);
      try {
        send(OP_CLOSE, payload);
        closeSent = true;
      } catch (IOException e) {
        abort();
      }
    }

    void abort() {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("messaging websocket: closing a connection: {}", e.toString());
      }
    }

    /** One unmasked, unfragmented frame, flushed at once. */
    private synchronized void send(int opcode, byte[] payload) throws IOException {
      ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
      frame.write(0x80 | opcode);
      if (payload.length < 126) {
        frame.write(payload.length);
      } else if (payload.length <= 0xFFFF) {
        frame.write(126);
        frame.write(payload.length >> 8);
        frame.write(payload.length);
      } else {
        frame.write(127);
        frame.write(ByteBuffer.allocate(8).putLong(payload.length).array());
      }
      frame.write(payload);
      out.write(frame.toByteArray());
      out.flush();
    }
  }

  /** The request head up to its blank line, bounded. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the handshake");
      }
      if (head.size() >= MAX_HANDSHAKE_BYTES) {
        throw new IOException("handshake longer than " + MAX_HANDSHAKE_BYTES + " bytes");
      }
      head.write(b);
      matched =
          (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && matched % 2 == 1)
              ? matched + 1
              : b == '\r' ? 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
