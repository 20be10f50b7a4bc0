package io.lparchiver.render;

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

  MimeBuffer(int expectedSize) {
    bytes = new byte[Math.max(expectedSize, 1024)];
  }

  @Override
  public void write(int b) {
    if (count == bytes.length) {
      grow(1);
    }
    bytes[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len > bytes.length - count) {
      grow(len);
    }
    System.arraycopy(b, off, bytes, count, len);
    count += len;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(bytes, count);
  }

  private void grow(int atLeast) {
    long wanted = Math.max((long) bytes.length * 2, (long) count + atLeast);
    if (wanted > Integer.MAX_VALUE - 8) {
      throw new OutOfMemoryError("an email cannot exceed 2 GB in memory");
    }
    bytes = Arrays.copyOf(bytes, (int) wanted);
  }
}
