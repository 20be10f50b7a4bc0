package io.lparchiver.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One rendered RFC 5322 message for one conversation version, identical for every mailbox.
 *
 * @param key the version's identity (its Message-ID)
 * @param content the full message bytes, CRLF line endings
 * @param sha256 hex SHA-256 of the content
 * @param subject the decoded subject, for logs and the status page
 */
public record ArchiveEmail(MessageKey key, EmailContent content, String sha256, String subject) {

  /** An email held in memory. */
  public ArchiveEmail(MessageKey key, byte[] mime, String sha256, String subject) {
    this(key, EmailContent.ofBytes(mime), sha256, subject);
  }

  public long size() {
    return content.size();
  }

  /** Streams the message; prefer this to {@link #mime()} for anything that may be large. */
  public InputStream open() throws IOException {
    return content.open();
  }

  /**
   * Writes the whole message into {@code file} (created or replaced), in slices: an in-memory
   * message's stream hands its whole array to one write (see {@link SlicedOutputStream}).
   */
  public void copyTo(Path file) throws IOException {
    try (InputStream in = content.open();
        OutputStream out = new SlicedOutputStream(Files.newOutputStream(file))) {
      in.transferTo(out);
    }
  }

  /** The whole message in memory. */
  public byte[] mime() {
    try (InputStream in = content.open()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the rendered email of " + key.messageId(), e);
    }
  }

  @Override
  public String toString() {
    return "ArchiveEmail[" + key.messageId() + ", " + size() + " bytes]";
  }
}
