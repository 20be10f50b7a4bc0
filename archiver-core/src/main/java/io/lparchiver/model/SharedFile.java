package io.lparchiver.model;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

/**
 * What became of one LivePerson-hosted file of a conversation: downloaded, or no longer held by
 * LivePerson. Either way it is named in the email and the ledger; a file is never silently missing.
 */
public sealed interface SharedFile {

  /** The file's {@code relativePath} on the swift host, as the record gives it. */
  String relativePath();

  /** The attachment name: the last segment of the path (LivePerson gives no other name). */
  String fileName();

  /** The last path segment, or {@code file} when there is none. */
  static String nameOf(String relativePath) {
    String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
    return name.isBlank() ? "file" : name;
  }

  /**
   * A downloaded file.
   *
   * @param contentType the MIME type, e.g. {@code image/png}
   * @param sha256 hex SHA-256 of the bytes
   */
  @SuppressWarnings("ArrayRecordComponent") // copied in, read through open() or a copy
  record Downloaded(
      String relativePath, String fileName, String contentType, byte[] bytes, String sha256)
      implements SharedFile {

    public Downloaded {
      Objects.requireNonNull(relativePath, "relativePath");
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(sha256, "sha256");
      bytes = bytes.clone();
    }

    /** A copy; prefer {@link #open()} for large files. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** A stream over the bytes without copying them. */
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }

    public long size() {
      return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Downloaded d
          && relativePath.equals(d.relativePath)
          && fileName.equals(d.fileName)
          && contentType.equals(d.contentType)
          && sha256.equals(d.sha256);
    }

    @Override
    public int hashCode() {
      return Objects.hash(relativePath, fileName, contentType, sha256);
    }

    @Override
    public String toString() {
      return "Downloaded[" + relativePath + ", " + contentType + ", " + bytes.length + " bytes]";
    }
  }

  /**
   * A file LivePerson no longer holds (swift answers 404: removed by a Personal Data Deletion
   * request, masked, or past storage retention).
   *
   * @param reason what LivePerson answered, for the email and the ledger
   */
  record Unavailable(String relativePath, String fileName, String reason) implements SharedFile {
    public Unavailable {
      Objects.requireNonNull(relativePath, "relativePath");
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
