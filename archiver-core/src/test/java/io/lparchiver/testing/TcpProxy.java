package io.lparchiver.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP relay between a client under test and a server, that can cut connections at a
 * chosen point of the client's upload: mid-request (the server never gets it whole) or after it
 * (the server has it, the client never hears the answer). Daemon threads; closed by {@link #close}.
 */
public final class TcpProxy implements AutoCloseable {

  private enum Mode {
    RELAY,
    CUT_MID_REQUEST,
    DROP_RESPONSE
  }

  private final ServerSocket listener;
  private final String upstreamHost;
  private final int upstreamPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong clientBytes = new AtomicLong();
  private volatile Mode mode = Mode.RELAY;
  private volatile long threshold = Long.MAX_VALUE;
  private volatile Duration hold = Duration.ZERO;
  // only the connection that tripped goes silent: a client's fresh connection is answered
  private final Set<Socket> muted = ConcurrentHashMap.newKeySet();
  private volatile boolean tripped;

  public TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** After {@code bytes} more client bytes, drop the rest of the upload and close at once. */
  public void cutMidRequest(long bytes) {
    arm(Mode.CUT_MID_REQUEST, bytes, Duration.ZERO);
  }

  /**
   * After {@code bytes} more client bytes, keep relaying the upload but no longer the server's
   * answers on that connection, and close it after {@code hold} (time for the server to finish the
   * request; longer than the client's read timeout: a server that stops answering). Other
   * connections, such as the client's reconnect, are answered as usual.
   */
  public void dropResponseAfter(long bytes, Duration hold) {
    arm(Mode.DROP_RESPONSE, bytes, hold);
  }

  /** Whether an armed cut happened. */
  public boolean tripped() {
    return tripped;
  }

  /** Closes every open connection now, as a server or NAT timing out idle ones would. */
  public void cutAll() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private synchronized void arm(Mode newMode, long bytes, Duration newHold) {
    clientBytes.set(0);
    threshold = bytes;
    hold = newHold;
    tripped = false;
    mode = newMode;
  }

  private synchronized void disarm() {
    mode = Mode.RELAY;
    threshold = Long.MAX_VALUE;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        start(() -> upload(client, upstream));
        start(() -> download(upstream, client));
      } catch (IOException e) {
        return; // listener closed
      }
    }
  }

  private void upload(Socket client, Socket upstream) {
    byte[] buf = new byte[8192];
    try (InputStream in = client.getInputStream()) {
      OutputStream out = upstream.getOutputStream();
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        Mode m = mode;
        long before = clientBytes.getAndAdd(n);
        if (m != Mode.RELAY && before + n >= threshold) {
          trip(m, client, upstream, out, buf, n, before);
          if (m == Mode.CUT_MID_REQUEST) {
            return;
          }
          continue;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed: the other pump sees it too
    } finally {
      closeQuietly(upstream);
    }
  }

  private void trip(
      Mode m, Socket client, Socket upstream, OutputStream out, byte[] buf, int n, long before)
      throws IOException {
    tripped = true;
    long cutAt = threshold; // read before disarm() resets it
    disarm();
    if (m == Mode.CUT_MID_REQUEST) {
      out.write(buf, 0, (int) Math.min(n, Math.max(0, cutAt - before)));
      out.flush();
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    muted.add(client);
    out.write(buf, 0, n);
    out.flush();
    Duration wait = hold;
    start(
        () -> {
          try {
            Thread.sleep(wait.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          closeQuietly(client);
          closeQuietly(upstream);
          muted.remove(client);
        });
  }

  private void download(Socket upstream, Socket client) {
    byte[] buf = new byte[8192];
    try (InputStream in = upstream.getInputStream()) {
      OutputStream out = client.getOutputStream();
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        if (!muted.contains(client)) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // closed
    } finally {
      closeQuietly(client);
    }
  }

  private static void start(Runnable r) {
    Thread t = new Thread(r, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cutAll();
  }
}
