package io.lparchiver.render;

import io.lparchiver.model.EmailContent;
import io.lparchiver.model.Sha256;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of one email as Jakarta Mail writes them. Its quoted-printable encoder writes one byte
 * per call; {@link java.io.ByteArrayOutputStream} takes a lock on each, which profiling showed as
 * the largest single cost of rendering. One buffer is only ever written by one thread.
 */
final class MimeBuffer extends OutputStream {

  private byte[] bytes;
  private int count;
  private boolean handedOver; // by content(): the email's bytes are these, no more writes

  MimeBuffer(int expectedSize) {
    bytes = new byte[Math.max(expectedSize, 1024)];
  }

  @Override
  public void write(int b) {
    if (count == bytes.length || handedOver) {
      grow(1);
    }
    bytes[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len > bytes.length - count || handedOver) {
      grow(len);
    }
    System.arraycopy(b, off, bytes, count, len);
    count += len;
  }

  /**
   * The bytes written so far as an email's content, without copying them: the buffer must not be
   * written after this. A copy (or two, with {@link EmailContent#ofBytes}'s own) of every email was
   * a large share of rendering's allocation, and of an email with a file of megabytes, two
   * humongous objects for G1.
   */
  EmailContent content() {
    handedOver = true;
    return EmailContent.ofOwnedBytes(bytes, count);
  }

  /** Hex SHA-256 of the bytes written so far. */
  String sha256() {
    return Sha256.of(bytes, 0, count);
  }

  private void grow(int atLeast) {
    if (handedOver) {
      throw new IllegalStateException("the buffer's bytes were handed over as an email's content");
    }
    long wanted = Math.max((long) bytes.length * 2, (long) count + atLeast);
    if (wanted > Integer.MAX_VALUE - 8) {
      throw new OutOfMemoryError("an email cannot exceed 2 GB in memory");
    }
    bytes = Arrays.copyOf(bytes, (int) wanted);
  }
}
