package io.lparchiver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicedOutputStreamTest {

  /** Records the length of every write it is given, and the bytes. */
  private static final class Recording extends ByteArrayOutputStream {
    final List<Integer> writes = new ArrayList<>();

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(len);
      super.write(b, off, len);
    }
  }

  @Test
  void aLargeWriteArrivesInSlicesWithTheSameBytesInOrder() throws IOException {
    byte[] bytes = new byte[3 * SlicedOutputStream.SLICE + 1234];
    new Random(7).nextBytes(bytes);
    Recording target = new Recording();

    // from an offset, as a stream over part of a buffer writes
    new SlicedOutputStream(target).write(bytes, 17, bytes.length - 17);

    assertThat(target.writes)
        .containsExactly(
            SlicedOutputStream.SLICE,
            SlicedOutputStream.SLICE,
            SlicedOutputStream.SLICE,
            1234 - 17);
    assertThat(target.toByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 17, bytes.length));
  }

  @Test
  void aSmallWriteIsPassedOnWhole() throws IOException {
    Recording target = new Recording();

    new SlicedOutputStream(target).write(new byte[] {1, 2, 3}, 0, 3);

    assertThat(target.writes).containsExactly(3);
  }

  @Test
  void aRangeOutsideTheArrayIsRefusedBeforeAnythingIsWritten() {
    Recording target = new Recording();
    SlicedOutputStream sliced = new SlicedOutputStream(target);

    assertThatThrownBy(() -> sliced.write(new byte[10], 8, 5))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(target.writes).isEmpty();
  }
}
