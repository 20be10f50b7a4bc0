package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MimeBufferTest {

  @Test
  void keepsEveryByteInOrderAcrossGrowthBySingleBytesAndChunks() {
    Random random = new Random(11);
    MimeBuffer buffer = new MimeBuffer(0);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < 2_000; i++) {
      if (random.nextBoolean()) {
        int b = random.nextInt(256);
        buffer.write(b);
        expected.write(b);
      } else {
        byte[] chunk = new byte[random.nextInt(3_000)];
        random.nextBytes(chunk);
        int off = chunk.length == 0 ? 0 : random.nextInt(chunk.length);
        buffer.write(chunk, off, chunk.length - off);
        expected.write(chunk, off, chunk.length - off);
      }
    }

    assertThat(buffer.toByteArray()).isEqualTo(expected.toByteArray());
  }

  @Test
  void rejectsARangeOutsideTheArray() {
    MimeBuffer buffer = new MimeBuffer(16);

    assertThatThrownBy(() -> buffer.write(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(buffer.toByteArray()).isEmpty();
  }
}
