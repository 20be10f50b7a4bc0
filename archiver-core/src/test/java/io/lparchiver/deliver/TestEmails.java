package io.lparchiver.deliver;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Channel;
import io.lparchiver.model.MessageKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

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

  /** An attachment for {@link #withAttachments}. */
  public record Attachment(String name, byte[] bytes) {
    public Attachment {
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }

  /** Pseudo-random bytes, the same for the same seed. */
  public static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new java.util.SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  /**
   * A rendered-shaped email: the transcript as multipart/alternative, then each attachment base64
   * encoded, as the renderer lays out {@code conversation.json} and shared files.
   */
  public static ArchiveEmail withAttachments(MessageKey key, List<Attachment> attachments) {
    StringBuilder mime =
        new StringBuilder()
            .append("Message-ID: ")
            .append(key.messageId())
            .append("\r\nDate: Mon, 2 Mar 2026 10:15:00 +0000")
            .append("\r\nFrom: Consumer <c1@12345678.liveperson.invalid>")
            .append("\r\nTo: Ann Lee <ann@brand.example>")
            .append("\r\nSubject: Messaging conversation ")
            .append(key.conversationId())
            .append("\r\nMIME-Version: 1.0")
            .append("\r\nContent-Type: multipart/mixed; boundary=\"mixed-b\"\r\n\r\n")
            .append("--mixed-b\r\nContent-Type: multipart/alternative; boundary=\"alt-b\"\r\n\r\n")
            .append("--alt-b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n")
            .append("10:15 Ann Lee (agent): hello\r\n")
            .append("--alt-b\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n")
            .append("<html><body><p>10:15 Ann Lee (agent): hello</p></body></html>\r\n")
            .append("--alt-b--\r\n");
    Base64.Encoder base64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII));
    for (Attachment a : attachments) {
      mime.append("--mixed-b\r\nContent-Type: application/octet-stream; name=\"")
          .append(a.name())
          .append("\"\r\nContent-Disposition: attachment; filename=\"")
          .append(a.name())
          .append("\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
          .append(base64.encodeToString(a.bytes()))
          .append("\r\n");
    }
    mime.append("--mixed-b--\r\n");
    return email(key, mime.toString().getBytes(StandardCharsets.US_ASCII));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
