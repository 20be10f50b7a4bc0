package io.lparchiver.source;

import io.lparchiver.model.FileReference;
import io.lparchiver.model.SharedFile;

/**
 * Downloads the files LivePerson hosts for conversations (the history API gives only their {@code
 * relativePath}). External links and structured-content images are not hosted by LivePerson and are
 * never fetched.
 *
 * <p>Lifecycle: opens its connections on first use; {@link #close()} ends them. Thread-safe: the
 * lanes of a sync fetch the files of their conversations at the same time. Idempotent: fetching the
 * same path twice gives the same bytes while LivePerson holds the file.
 */
public interface FileFetcher extends AutoCloseable {

  /**
   * Downloads one hosted file.
   *
   * @return the bytes, or {@link SharedFile.Unavailable} when LivePerson no longer holds the file
   * @throws SourceException when the file cannot be had now (retries spent: archive the
   *     conversation later) or the credentials are refused ({@link
   *     SourceException.Kind#AUTHENTICATION}, the message names the key to fix)
   * @throws IllegalArgumentException when the reference is not a hosted file
   */
  default SharedFile fetch(FileReference file) throws InterruptedException {
    return fetch(file, FileAdmission.ANY);
  }

  /**
   * Downloads one hosted file, asking {@code admission} before its bytes are read into memory (and
   * before the time allowed for reading them starts).
   */
  SharedFile fetch(FileReference file, FileAdmission admission) throws InterruptedException;

  /** Logs in and opens the signing connection, to check the configuration before a run. */
  void checkAccess() throws InterruptedException;

  @Override
  void close();
}
