package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.FetchedConversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MappingDecision;
import io.lparchiver.model.Recipients;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.ChatRecordParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Byte-for-byte golden files. Output is deterministic, so nothing is normalised. After an intended
 * format change, re-record with {@code -Dgolden.update=true} and review the diff of the .eml files.
 */
class GoldenEmailTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  private final EmailRenderer renderer = new EmailRenderer();

  @Test
  void shouldMatchGoldenForConversationWithEveryMessageType() throws Exception {
    Conversation c = Fixtures.full();
    ArchiveEmail email =
        renderer.render(Fixtures.fetched(c), Fixtures.key(c, 1), Fixtures.recipients(), List.of());
    assertGolden("full-v1.eml", email.mime());
  }

  @Test
  void shouldMatchGoldenForMinimalOpenConversation() throws Exception {
    Conversation c = Fixtures.minimalOpen();
    ArchiveEmail email =
        renderer.render(
            Fixtures.fetched(c), Fixtures.key(c, 1), Fixtures.noRecipients(), List.of());
    assertGolden("minimal-open-v1.eml", email.mime());
  }

  @Test
  void shouldMatchGoldenForLaterVersionThreadedToEarlierOnes() throws Exception {
    Conversation c = Fixtures.full();
    ArchiveEmail email =
        renderer.render(
            Fixtures.fetched(c),
            Fixtures.key(c, 3),
            Fixtures.recipients(),
            List.of(Fixtures.key(c, 1), Fixtures.key(c, 2)));
    assertGolden("full-v3.eml", email.mime());
  }

  @Test
  void shouldMatchGoldenForLegacyChat() throws Exception {
    byte[] raw;
    try (var in = GoldenEmailTest.class.getResourceAsStream("/liveperson/chat-record.json")) {
      raw = in.readAllBytes();
    }
    FetchedConversation chat =
        ((SourceRecord.Parsed) new ChatRecordParser(Fixtures.ACCOUNT).parse(raw)).fetched();
    Mailbox bob = new Mailbox("bob.stone@brand.example");
    Recipients recipients =
        new Recipients(
            new TreeSet<>(List.of(bob)),
            Map.of("213185813", bob.address()),
            List.of(
                new MappingDecision("213185813", "users-api", Optional.of(bob), bob.address())));
    ArchiveEmail email =
        renderer.render(chat, Fixtures.key(chat.conversation(), 1), recipients, List.of());
    assertGolden("chat-v1.eml", email.mime());
  }

  private static void assertGolden(String name, byte[] actual) throws Exception {
    Path file = GOLDEN.resolve(name);
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.write(file, actual);
    }
    assertThat(file)
        .as("golden file %s missing: run with -Dgolden.update=true to record it", file)
        .exists();
    // Compare as text first for a readable diff, then as bytes for CRLF and encoding exactness.
    assertThat(new String(actual, StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(actual).isEqualTo(Files.readAllBytes(file));
  }
}
