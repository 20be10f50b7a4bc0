package io.lparchiver.model;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Passes each write on in slices of at most {@link #SLICE} bytes, without copying. A {@code
 * FileChannel} (also behind {@code Files.newOutputStream}) copies a heap array into a temporary
 * direct buffer of the write's whole size, and the JDK keeps that buffer for the thread: one write
 * of a 200 MB email would hold 200 MB outside the heap on that lane for the rest of the run. Every
 * write of an email or a part of one to a file goes through it.
 */
public final class SlicedOutputStream extends FilterOutputStream {

  public static final int SLICE = 256 * 1024;

  public SlicedOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    for (int done = 0; done < len; ) {
      int n = Math.min(SLICE, len - done);
      out.write(b, off + done, n);
      done += n;
    }
  }
}
