package io.lparchiver.deliver;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Channel;
import io.lparchiver.model.MessageKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Small, valid RFC 5322 messages for sink tests; CRLF line endings as the renderer makes them. */
public final class TestEmails {

  private TestEmails() {}

  public static MessageKey key(String conversationId, int version) {
    return new MessageKey("12345678", Channel.MESSAGING, conversationId, version);
  }

  public static ArchiveEmail email(MessageKey key, String body) {
    String mime =
        "Message-ID: "
            + key.messageId()
            + "\r\nDate: Mon, 2 Mar 2026 10:15:00 +0000"
            + "\r\nFrom: Consumer <c1@12345678.liveperson.invalid>"
            + "\r\nTo: Ann Lee <ann@brand.example>"
            + "\r\nSubject: Messaging conversation "
            + key.conversationId()
            + "\r\nMIME-Version: 1.0"
            + "\r\nContent-Type: text/plain; charset=UTF-8"
            + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + body.replace("\n", "\r\n")
            + "\r\n";
    return email(key, mime.getBytes(StandardCharsets.UTF_8));
  }

  public static ArchiveEmail email(MessageKey key, byte[] mime) {
    return new ArchiveEmail(key, mime, sha256(mime), "Messaging conversation");
  }

  /** A message of at least {@code minBytes}, body lines full of non-ASCII text. */
  public static ArchiveEmail large(MessageKey key, int minBytes) {
    String line = "10:15 Ann Lee (agent): Grüße, 你好, здравствуйте, 🙂 — line ";
    StringBuilder body = new StringBuilder(minBytes);
    for (long bytes = 0, i = 0; bytes < minBytes; i++) {
      String next = line + i + "\n";
      body.append(next);
      bytes += next.getBytes(StandardCharsets.UTF_8).length;
    }
    ArchiveEmail email = email(key, body.toString());
    if (email.size() < minBytes) {
      throw new IllegalStateException("fixture too small: " + email.size());
    }
    return email;
  }

  /** A message of exactly {@code size} bytes, to catch a reader seeing a half-written file. */
  public static ArchiveEmail sized(MessageKey key, int size) {
    byte[] head =
        ("Message-ID: " + key.messageId() + "\r\nSubject: sized\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] mime = new byte[size];
    System.arraycopy(head, 0, mime, 0, head.length);
    Arrays.fill(mime, head.length, size, (byte) 'a');
    return email(key, mime);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
