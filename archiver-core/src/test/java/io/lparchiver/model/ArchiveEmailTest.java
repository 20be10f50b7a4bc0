package io.lparchiver.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.testing.DirectMemory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveEmailTest {

  @TempDir Path dir;

  private static ArchiveEmail inMemory(int size) {
    byte[] mime = new byte[size];
    new SplittableRandom(9).nextBytes(mime);
    return new ArchiveEmail(new MessageKey("12345678", Channel.MESSAGING, "c-1", 1), mime, "", "s");
  }

  @Test
  void copyToReplacesTheFileWithTheWholeMessage() throws Exception {
    ArchiveEmail email = inMemory(3 * SlicedOutputStream.SLICE + 17);
    // a longer file left from before: nothing of it may remain after the message
    Path file = Files.write(dir.resolve("spool.eml"), new byte[(int) email.size() + 1000]);

    email.copyTo(file);

    assertThat(Files.readAllBytes(file)).isEqualTo(email.mime());
  }

  @Test
  void copyingALargeInMemoryMessageLeavesNoDirectBufferOfItsSizeOnTheThread() throws Exception {
    ArchiveEmail email = inMemory(8 * 1024 * 1024);
    Path file = dir.resolve("large.eml");

    long grown =
        DirectMemory.grownBy(
            () -> {
              email.copyTo(file);
              return null;
            });

    assertThat(Files.size(file)).isEqualTo(email.size());
    assertThat(grown).isLessThan(2L * SlicedOutputStream.SLICE);
  }
}
