package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code swift} file host with OpenStack Swift temp URLs: {@code temp_url_sig} is the HMAC-SHA1
 * of {@code "GET\n" + expires + "\n" + path} under a key only this host knows, {@code
 * temp_url_expires} is epoch seconds about a minute ahead. A missing, wrong or expired signature is
 * refused with 401 (Swift says "Temp URL invalid" for all three); a removed file is 404.
 */
final class SwiftHost {

  static final Duration URL_LIFETIME = Duration.ofSeconds(60);
  static final String PATH_PREFIX = "/v1/AUTH_async-images/";

  private final String account;
  private final HostedFiles files;
  private final Clock clock;
  private final FileFaults faults;
  private final byte[] key = new byte[32];
  private final Set<String> signedOnce = ConcurrentHashMap.newKeySet();
  final AtomicInteger signed = new AtomicInteger();
  final AtomicInteger downloads = new AtomicInteger();
  final AtomicInteger refusedExpired = new AtomicInteger();
  final AtomicInteger refusedInvalid = new AtomicInteger();
  final AtomicInteger notFound = new AtomicInteger();
  final AtomicInteger stalled = new AtomicInteger();
  final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger stallsLeft;
  private final AtomicInteger unavailableLeft;
  private final AtomicInteger tricklesLeft;
  final AtomicInteger trickled = new AtomicInteger();

  SwiftHost(String account, HostedFiles files, Clock clock, FileFaults faults) {
    this.account = account;
    this.files = files;
    this.clock = clock;
    this.faults = faults;
    this.stallsLeft = new AtomicInteger(faults.stalledDownloads());
    this.unavailableLeft = new AtomicInteger(faults.unavailableDownloads());
    this.tricklesLeft = new AtomicInteger(faults.trickledDownloads());
    new SecureRandom().nextBytes(key);
  }

  /** Whether this account may sign the path (another account's files: "Agent not allowed"). */
  boolean mayAccess(String relativePath) {
    return relativePath.startsWith(PATH_PREFIX + account + "/") && !relativePath.contains("..");
  }

  /** The {@code queryParams} of a {@code ms.BaseGenerateURLResponse}. */
  ObjectNode sign(String relativePath) {
    long now = clock.instant().getEpochSecond();
    boolean first = signedOnce.add(relativePath);
    long expires = faults.expireFirstUrl() && first ? now - 1 : now + URL_LIFETIME.toSeconds();
    signed.incrementAndGet();
    ObjectNode q = SimResponse.JSON.createObjectNode();
    q.put("temp_url_sig", signature(relativePath, expires));
    q.put("temp_url_expires", Long.toString(expires));
    return q;
  }

  /** Serves {@code GET {relativePath}?temp_url_sig=…&temp_url_expires=…}; returns the status. */
  int serve(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
      return send(ex, 405, "Method Not Allowed");
    }
    Map<String, String> query = new HashMap<>();
    try {
      for (Map.Entry<String, String> p :
          PercentCodec.parseQuery(ex.getRequestURI().getRawQuery())) {
        query.putIfAbsent(p.getKey(), p.getValue());
      }
    } catch (IllegalArgumentException e) {
      refusedInvalid.incrementAndGet();
      return send(ex, 401, "Temp URL invalid");
    }
    String sig = query.getOrDefault("temp_url_sig", "");
    long expires;
    try {
      expires = Long.parseLong(query.getOrDefault("temp_url_expires", ""));
    } catch (NumberFormatException e) {
      refusedInvalid.incrementAndGet();
      return send(ex, 401, "Temp URL invalid");
    }
    if (!MessageDigest.isEqual(
        sig.getBytes(StandardCharsets.US_ASCII),
        signature(path, expires).getBytes(StandardCharsets.US_ASCII))) {
      refusedInvalid.incrementAndGet();
      return send(ex, 401, "Temp URL invalid");
    }
    if (expires <= clock.instant().getEpochSecond()) {
      refusedExpired.incrementAndGet();
      return send(ex, 401, "Temp URL invalid");
    }
    var content = files.content(path);
    if (content.isEmpty()) {
      notFound.incrementAndGet();
      return send(ex, 404, "Not Found");
    }
    if (takeOne(unavailableLeft)) {
      unavailable.incrementAndGet();
      return send(ex, 503, "Service Unavailable");
    }
    byte[] bytes = content.get();
    downloads.incrementAndGet();
    ex.getResponseHeaders().set("Content-Type", HostedFiles.contentType(path));
    ex.getResponseHeaders().set("Etag", HexFormat.of().formatHex(md5(bytes)));
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(200, head ? -1 : bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      if (!head && takeOne(stallsLeft)) {
        stalled.incrementAndGet();
        out.write(bytes, 0, bytes.length / 2);
        out.flush();
        hold(); // then the connection is cut with the file half sent
        ex.close();
        return 200;
      }
      if (!head && takeOne(tricklesLeft)) {
        trickled.incrementAndGet();
        trickle(out, bytes); // until sent, or the client gives up and the write fails
        return 200;
      }
      if (!head) {
        out.write(bytes);
      }
    }
    return 200;
  }

  /** Whether a fault of this count is left, using it up. */
  private static boolean takeOne(AtomicInteger left) {
    return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  private static void trickle(OutputStream out, byte[] bytes) throws IOException {
    for (int i = 0; i < bytes.length; i += 1024) {
      out.write(bytes, i, Math.min(1024, bytes.length - i));
      out.flush();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Holds a stalled download; a closing simulator interrupts the wait. */
  private void hold() {
    try {
      Thread.sleep(faults.stallFor().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String signature(String path, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
      byte[] sig = mac.doFinal(("GET\n" + expires + "\n" + path).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sig);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JVM has HmacSHA1", e);
    }
  }

  private static byte[] md5(byte[] bytes) {
    try {
      return MessageDigest.getInstance("MD5").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }

  // Swift answers its errors in plain text, not JSON.
  private static int send(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
    return status;
  }
}
