package io.lparchiver.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes of a rendered message, readable as often as needed. Small messages live in memory;
 * large ones (attachments of many megabytes) in a file, so no target has to hold them whole.
 */
public interface EmailContent {

  /** A fresh stream over the whole message; the caller closes it. */
  InputStream open() throws IOException;

  /** Size in bytes. */
  long size();

  static EmailContent ofBytes(byte[] bytes) {
    return ofOwnedBytes(bytes.clone(), bytes.length);
  }

  /**
   * The first {@code length} bytes of {@code bytes}, not copied: the caller hands the array over
   * and must not change it afterwards (the renderer's buffer, which refuses further writes).
   */
  static EmailContent ofOwnedBytes(byte[] bytes, int length) {
    Objects.checkFromIndexSize(0, length, bytes.length);
    return new EmailContent() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(bytes, 0, length);
      }

      @Override
      public long size() {
        return length;
      }
    };
  }

  /** Content kept in a file that must stay in place while the email is in use. */
  static EmailContent ofFile(Path file) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rendered email " + file, e);
    }
    return new EmailContent() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }

      @Override
      public long size() {
        return size;
      }
    };
  }
}
