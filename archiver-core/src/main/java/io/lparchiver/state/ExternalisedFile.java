package io.lparchiver.state;

import java.util.Objects;

/**
 * One part of a delivered copy that was stored under {@code archive.overflowDir} instead of in the
 * email (ledger outcome {@code externalised}), as recorded with the ledger row.
 *
 * @param fileName the part's file name in the original email
 * @param contentType its MIME type
 * @param bytes size of the stored file
 * @param sha256 hex SHA-256 of the stored file when it was written (also its name)
 * @param relativePath where it is under {@code archive.overflowDir}, with {@code /} separators
 */
public record ExternalisedFile(
    String fileName, String contentType, long bytes, String sha256, String relativePath) {

  public ExternalisedFile {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(relativePath, "relativePath");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0, was " + bytes);
    }
  }
}
