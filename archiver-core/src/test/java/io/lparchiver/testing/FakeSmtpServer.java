package io.lparchiver.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small SMTP server on loopback that keeps the exact bytes of every DATA (dot-unstuffed) with its
 * envelope, answers like Postfix ({@code 250 2.0.0 Ok: queued as Q1}) and can be told to refuse a
 * recipient or the data with any reply, for 4xx/5xx tests. AUTH PLAIN only. Announces SIZE (RFC
 * 1870) and refuses larger data with 552; with an SSLContext it speaks implicit TLS (SMTPS).
 */
public final class FakeSmtpServer implements AutoCloseable {

  /** One accepted message. */
  public record Received(
      String envelopeFrom, List<String> recipients, byte[] data, String queueId) {}

  private final ServerSocket listener;
  private final String user;
  private final String password;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, String> rcptReplies = new ConcurrentHashMap<>();
  private final AtomicInteger queue = new AtomicInteger();
  private volatile String dataReply;
  private volatile long sizeLimit = 52_428_800;

  public FakeSmtpServer(String user, String password) throws IOException {
    this(user, password, null);
  }

  /** With {@code tls}, every connection starts with a TLS handshake (SMTPS, port 465 style). */
  public FakeSmtpServer(String user, String password, javax.net.ssl.SSLContext tls)
      throws IOException {
    this.user = user;
    this.password = password;
    this.listener =
        tls == null
            ? new ServerSocket(0, 50, InetAddress.getLoopbackAddress())
            : tls.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fake-smtp-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  /** Answer RCPT TO for this address with {@code reply}, e.g. "550 5.1.1 no such user". */
  public void refuseRecipient(String address, String reply) {
    rcptReplies.put(address.toLowerCase(Locale.ROOT), reply);
  }

  /** The SIZE announced in EHLO; larger data is refused with 552 5.3.4. */
  public void sizeLimit(long bytes) {
    this.sizeLimit = bytes;
  }

  /** Answer the end of DATA with {@code reply} instead of accepting; null to accept again. */
  public void answerData(String reply) {
    this.dataReply = reply;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        Thread t = new Thread(() -> serve(s), "fake-smtp");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      socket.setSoTimeout(30_000);
      reply(out, "220 fake.example ESMTP");
      String from = null;
      List<String> rcpts = new CopyOnWriteArrayList<>();
      for (int commands = 0; commands < 10_000; commands++) {
        String line = readLine(in);
        if (line == null) {
          return;
        }
        String upper = line.toUpperCase(Locale.ROOT);
        if (upper.startsWith("EHLO")) {
          reply(out, "250-fake.example\r\n250-8BITMIME\r\n250-AUTH PLAIN\r\n250 SIZE " + sizeLimit);
        } else if (upper.startsWith("AUTH PLAIN")) {
          String initial = line.length() > 10 ? line.substring(10).strip() : "";
          if (initial.isEmpty()) {
            reply(out, "334 ");
            initial = readLine(in);
          }
          // RFC 4616: [authzid] NUL authcid NUL passwd
          String[] given =
              new String(Base64.getDecoder().decode(initial), StandardCharsets.UTF_8)
                  .split("\0", -1);
          boolean ok = given.length == 3 && given[1].equals(user) && given[2].equals(password);
          reply(
              out,
              ok
                  ? "235 2.7.0 Authentication successful"
                  : "535 5.7.8 Error: authentication failed");
        } else if (upper.startsWith("MAIL FROM:")) {
          from = address(line.substring(10));
          rcpts.clear();
          reply(out, "250 2.1.0 Ok");
        } else if (upper.startsWith("RCPT TO:")) {
          String rcpt = address(line.substring(8));
          String refusal = rcptReplies.get(rcpt.toLowerCase(Locale.ROOT));
          if (refusal == null) {
            rcpts.add(rcpt);
          }
          reply(out, refusal == null ? "250 2.1.5 Ok" : refusal);
        } else if (upper.equals("DATA")) {
          reply(out, "354 End data with <CR><LF>.<CR><LF>");
          byte[] data = readData(in);
          String refusal =
              data.length > sizeLimit ? "552 5.3.4 Message size exceeds fixed limit" : dataReply;
          if (refusal != null) {
            reply(out, refusal);
          } else {
            String id = "Q" + queue.incrementAndGet();
            received.add(new Received(from, List.copyOf(rcpts), data, id));
            reply(out, "250 2.0.0 Ok: queued as " + id);
          }
        } else if (upper.equals("RSET") || upper.equals("NOOP")) {
          reply(out, "250 2.0.0 Ok");
        } else if (upper.equals("QUIT")) {
          reply(out, "221 2.0.0 Bye");
          return;
        } else {
          reply(out, "502 5.5.2 Error: command not recognized");
        }
      }
    } catch (IOException e) {
      // client went away
    }
  }

  private static String address(String arg) {
    String a = arg.strip();
    int end = a.indexOf('>');
    return a.startsWith("<") && end > 0 ? a.substring(1, end) : a.split(" ")[0];
  }

  private static void reply(OutputStream out, String text) throws IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A line without its CRLF, or null at end of stream. */
  private static String readLine(InputStream in) throws IOException {
    byte[] line = readRawLine(in);
    if (line == null) {
      return null;
    }
    return new String(line, 0, Math.max(0, line.length - 2), StandardCharsets.UTF_8);
  }

  /** A line with its CRLF, or null at end of stream. */
  private static byte[] readRawLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int prev = -1;
    for (int b = in.read(); b >= 0; b = in.read()) {
      line.write(b);
      if (prev == '\r' && b == '\n') {
        return line.toByteArray();
      }
      prev = b;
    }
    return line.size() == 0 ? null : line.toByteArray();
  }

  private static byte[] readData(InputStream in) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (byte[] line = readRawLine(in); line != null; line = readRawLine(in)) {
      if (line.length == 3 && line[0] == '.') {
        return data.toByteArray();
      }
      int from = line.length > 0 && line[0] == '.' ? 1 : 0; // RFC 5321 4.5.2 transparency
      data.write(line, from, line.length - from);
    }
    throw new IOException("connection closed inside DATA");
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
