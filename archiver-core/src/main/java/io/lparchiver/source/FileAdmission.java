package io.lparchiver.source;

/**
 * Asked by a {@link FileFetcher} once a file's size is known and before its bytes are read into
 * memory, so that the caller can hold a download back until there is room for it.
 */
@FunctionalInterface
public interface FileAdmission {

  /** Admits everything at once. */
  FileAdmission ANY = (relativePath, bytes) -> {};

  /**
   * Returns when the file may be read; may wait. Asked again for the same path when a download is
   * retried: the size then replaces the one given before.
   *
   * @param bytes the size the host declared (Content-Length), or the largest file taken when it
   *     declared none
   */
  void admit(String relativePath, long bytes) throws InterruptedException;
}
