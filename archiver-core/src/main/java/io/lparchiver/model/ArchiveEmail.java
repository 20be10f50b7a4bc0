package io.lparchiver.model;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * One rendered RFC 5322 message for one conversation version, identical for every mailbox.
 *
 * @param key the version's identity (its Message-ID)
 * @param mime the full message bytes, CRLF line endings
 * @param sha256 hex SHA-256 of {@code mime}
 * @param subject the decoded subject, for logs and the status page
 */
public record ArchiveEmail(MessageKey key, byte[] mime, String sha256, String subject) {

  public ArchiveEmail {
    mime = mime.clone();
  }

  @Override
  public byte[] mime() {
    return mime.clone();
  }

  public long size() {
    return mime.length;
  }

  /** Streams the message without copying it. */
  public InputStream open() {
    return new ByteArrayInputStream(mime);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ArchiveEmail other
        && key.equals(other.key)
        && Arrays.equals(mime, other.mime);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(mime);
  }

  @Override
  public String toString() {
    return "ArchiveEmail[" + key.messageId() + ", " + mime.length + " bytes]";
  }
}
