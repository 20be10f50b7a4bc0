package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MimeBufferTest {

  @Test
  void keepsEveryByteInOrderAcrossGrowthBySingleBytesAndChunks() throws IOException {
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

    assertThat(written(buffer)).isEqualTo(expected.toByteArray());
    assertThat(buffer.content().size()).isEqualTo(expected.size());
    assertThat(buffer.sha256()).isEqualTo(Sha256.of(expected.toByteArray()));
    // the content is read as often as a sink needs, each time from the start
    assertThat(written(buffer)).isEqualTo(expected.toByteArray());
  }

  private static byte[] written(MimeBuffer buffer) throws IOException {
    try (InputStream in = buffer.content().open()) {
      return in.readAllBytes();
    }
  }

  @Test
  void refusesWritesOnceItsBytesAreAnEmailsContent() throws IOException {
    MimeBuffer buffer = new MimeBuffer(1024);
    buffer.write(new byte[] {'a', 'b'}, 0, 2);
    var content = buffer.content();

    assertThatThrownBy(() -> buffer.write('c')).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> buffer.write(new byte[] {'c'}, 0, 1))
        .isInstanceOf(IllegalStateException.class);
    try (InputStream in = content.open()) {
      assertThat(in.readAllBytes()).containsExactly('a', 'b');
    }
  }

  @Test
  void rejectsARangeOutsideTheArray() throws IOException {
    MimeBuffer buffer = new MimeBuffer(16);

    assertThatThrownBy(() -> buffer.write(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(written(buffer)).isEmpty();
  }
}
