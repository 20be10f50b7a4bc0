package io.lparchiver.deliver.graph;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.EmailContent;
import io.lparchiver.model.MessageKey;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes rendered-shaped archive emails with attachments of any size straight to a file, a few
 * kilobytes at a time, so a 149 MB attachment is never in memory: the test sees it as an
 * ArchiveEmail backed by that file.
 */
final class LargeEmails {

  /** An attachment to generate: pseudo-random bytes from the seed. */
  record Spec(String name, long size) {}

  /** The email and the SHA-256 of each attachment it holds. */
  record Written(ArchiveEmail email, Map<String, String> sha256ByName) {}

  private LargeEmails() {}

  static Written write(Path dir, MessageKey key, String to, List<Spec> attachments)
      throws IOException {
    Path file = Files.createTempFile(dir, "email-", ".eml");
    Map<String, String> hashes = new LinkedHashMap<>();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      ascii(
          out,
          "Message-ID: "
              + key.messageId()
              + "\r\n"
              + "Date: Mon, 2 Mar 2026 10:15:00 +0000\r\n"
              + "From: Consumer <c1@12345678.liveperson.invalid>\r\n"
              + "To: "
              + to
              + "\r\n"
              + "Subject: Messaging conversation "
              + key.conversationId()
              + "\r\n"
              + "MIME-Version: 1.0\r\n"
              + "X-LivePerson-Account: "
              + key.account()
              + "\r\n"
              + "X-LivePerson-Conversation-Id: "
              + key.conversationId()
              + "\r\n"
              + "X-LivePerson-Channel: messaging\r\n"
              + "X-LivePerson-Status: CLOSE\r\n"
              + "X-LivePerson-Version: "
              + key.version()
              + "\r\n"
              + "X-LivePerson-Source-SHA256: 00ff\r\n"
              + "X-LivePerson-Message-Count: 2\r\n"
              + "Content-Type: multipart/mixed; boundary=\"mixed-b\"\r\n\r\n"
              + "--mixed-b\r\nContent-Type: multipart/alternative; boundary=\"alt-b\"\r\n\r\n"
              + "--alt-b\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
              + "10:15 Ann Lee (agent): hello\r\n"
              + "--alt-b\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
              + "<html><body><p>10:15 Ann Lee (agent): hello</p></body></html>\r\n"
              + "--alt-b--\r\n");
      for (Spec a : attachments) {
        ascii(
            out,
            "--mixed-b\r\nContent-Type: application/octet-stream; name=\""
                + a.name()
                + "\"\r\n"
                + "Content-Disposition: attachment; filename=\""
                + a.name()
                + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n");
        hashes.put(a.name(), base64Of(out, a));
        ascii(out, "\r\n");
      }
      ascii(out, "--mixed-b--\r\n");
    }
    ArchiveEmail email =
        new ArchiveEmail(key, EmailContent.ofFile(file), "n/a", "large " + key.conversationId());
    return new Written(email, hashes);
  }

  /** Streams the attachment's bytes through SHA-256 and a MIME base64 encoder; returns the hash. */
  private static String base64Of(OutputStream out, Spec a) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    OutputStream shield =
        new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush(); // the encoder's close must not close the file
          }
        };
    SplittableRandom random = new SplittableRandom(a.name().hashCode() * 31L + a.size());
    byte[] chunk = new byte[1 << 16];
    try (OutputStream encoder =
        new DigestOutputStream(
            Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).wrap(shield),
            digest)) {
      for (long left = a.size(); left > 0; ) {
        int n = (int) Math.min(chunk.length, left);
        random.nextBytes(chunk);
        encoder.write(chunk, 0, n);
        left -= n;
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void ascii(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
  }
}
