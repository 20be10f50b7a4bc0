package io.lparchiver.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.maildir.MaildirSink;
import io.lparchiver.mapping.MailboxDirectory;
import io.lparchiver.mapping.MappingOverrides;
import io.lparchiver.mapping.ParticipantMapper;
import io.lparchiver.mapping.UserDirectory;
import io.lparchiver.model.DeadLetterStage;
import io.lparchiver.model.Mailbox;
import io.lparchiver.sim.liveperson.DataSetSpec;
import io.lparchiver.sim.liveperson.SeededDataSet;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.MessagingRecordParser;
import io.lparchiver.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordArchiverTest {

  private static final String ACCOUNT = "12345678";
  private static final Instant END = Instant.parse("2026-03-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aRecordArchivedTwiceIsDeliveredOnceAndAnUnparseableOneIsDeadLettered() throws Exception {
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(1, 2, 5L, END, 3), ACCOUNT);
    byte[] raw = data.conversations().get(0).toString().getBytes(StandardCharsets.UTF_8);
    MessagingRecordParser parser = new MessagingRecordParser(ACCOUNT);
    Path root = dir.resolve("archive");
    try (StateStore state = StateStore.open(dir.resolve("state"), clock);
        MaildirSink sink = new MaildirSink(root, "Archive", clock)) {
      RecordArchiver archiver =
          archiver(state, sink, clock, new Mailbox("archive@brand.example"), OpenSnapshots.off());

      assertThat(archiver.archive(parser.parse(raw)))
          .isEqualTo(new RecordArchiver.Outcome.Archived(1, 0));
      assertThat(archiver.archive(parser.parse(raw)))
          .isEqualTo(new RecordArchiver.Outcome.Archived(0, 1));
      try (Stream<Path> files = Files.walk(root)) {
        assertThat(
                files
                    .filter(Files::isRegularFile)
                    .filter(f -> f.getParent().getFileName().toString().matches("new|cur"))
                    .count())
            .as("message files in the Maildir")
            .isEqualTo(1);
      }

      RecordArchiver.Outcome bad =
          archiver.archive(parser.parse("{oops".getBytes(StandardCharsets.UTF_8)));
      assertThat(bad).isInstanceOf(RecordArchiver.Outcome.DeadLettered.class);
      assertThat(((RecordArchiver.Outcome.DeadLettered) bad).stage())
          .isEqualTo(DeadLetterStage.PARSE);
      assertThat(state.openDeadLetters())
          .singleElement()
          .satisfies(l -> assertThat(l.stage()).isEqualTo(DeadLetterStage.PARSE));
      assertThat(parser.parse(raw)).isInstanceOf(SourceRecord.Parsed.class);
    }
  }

  @Test
  void anOpenConversationIsArchivedAsAnInterimVersionOnlyOnceOldEnough() throws Exception {
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(40, 2, 5L, END, 3), ACCOUNT);
    String open = data.openConversationIds().get(0);
    byte[] raw = data.conversation(open).orElseThrow().toString().getBytes(StandardCharsets.UTF_8);
    Instant start =
        Instant.ofEpochMilli(
            data.conversation(open).orElseThrow().path("info").path("startTimeL").asLong());
    SourceRecord record = new MessagingRecordParser(ACCOUNT).parse(raw);
    OpenSnapshots day = new OpenSnapshots(Optional.of(Duration.ofHours(24)));

    assertThat(interim(record, start.plus(Duration.ofHours(1)), day, "young"))
        .isEqualTo(new RecordArchiver.Outcome.NotClosed());
    assertThat(interim(record, start.plus(Duration.ofHours(25)), OpenSnapshots.off(), "off"))
        .isEqualTo(new RecordArchiver.Outcome.NotClosed());
    assertThat(interim(record, start.plus(Duration.ofHours(25)), day, "old"))
        .isEqualTo(new RecordArchiver.Outcome.Archived(1, 0));
  }

  private RecordArchiver.Outcome interim(
      SourceRecord record, Instant now, OpenSnapshots open, String name) throws Exception {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    try (StateStore state = StateStore.open(dir.resolve(name + "-state"), clock);
        MaildirSink sink = new MaildirSink(dir.resolve(name + "-archive"), "Archive", clock)) {
      return archiver(state, sink, clock, new Mailbox("archive@brand.example"), open)
          .archive(record);
    }
  }

  @Test
  void anEarlierCopyLeftWithoutItsLedgerRowIsRecordedWhenTheConversationChanges() throws Exception {
    Clock clock = Clock.fixed(END, ZoneOffset.UTC);
    SeededDataSet data = SeededDataSet.generate(new DataSetSpec(1, 2, 5L, END, 3), ACCOUNT);
    com.fasterxml.jackson.databind.node.ObjectNode record = data.conversations().get(0);
    MessagingRecordParser parser = new MessagingRecordParser(ACCOUNT);
    Mailbox archive = new Mailbox("archive@brand.example");
    try (StateStore state = StateStore.open(dir.resolve("state"), clock);
        MaildirSink sink = new MaildirSink(dir.resolve("archive"), "Archive", clock)) {
      RecordArchiver archiver = archiver(state, sink, clock, archive, OpenSnapshots.off());
      archiver.archive(parser.parse(record.toString().getBytes(StandardCharsets.UTF_8)));
      String id = record.path("info").path("conversationId").asText();
      io.lparchiver.model.MessageKey v1 =
          new io.lparchiver.model.MessageKey(ACCOUNT, io.lparchiver.model.Channel.MESSAGING, id, 1);
      List<io.lparchiver.state.DeliveryRecord> delivered = state.deliveries(v1);
      assertThat(delivered).isNotEmpty();
      String sha = delivered.get(0).emailSha256();
      // as after a crash between the copies and their ledger rows
      for (io.lparchiver.state.DeliveryRecord row : delivered) {
        assertThat(state.forgetDelivery(v1, row.mailbox(), "test: a crash before the ledger row"))
            .isTrue();
      }

      record.putObject("summary").put("text", "edited after the crash").put("lastUpdatedTime", 1L);
      assertThat(archiver.archive(parser.parse(record.toString().getBytes(StandardCharsets.UTF_8))))
          .isEqualTo(new RecordArchiver.Outcome.Archived(delivered.size(), 0));

      assertThat(state.deliveries(v1))
          .hasSameSizeAs(delivered)
          .allSatisfy(
              row -> {
                assertThat(row.outcome())
                    .isEqualTo(io.lparchiver.state.DeliveryRecord.Outcome.FOUND_ON_TARGET);
                assertThat(row.emailSha256()).isEqualTo(sha);
              });
      assertThat(state.deliveries(new io.lparchiver.model.MessageKey(ACCOUNT, v1.channel(), id, 2)))
          .hasSameSizeAs(delivered);
    }
  }

  /** Archives into {@code sink}, every conversation to {@code archive}, retrying nothing. */
  private static RecordArchiver archiver(
      StateStore state, MaildirSink sink, Clock clock, Mailbox archive, OpenSnapshots open) {
    return new RecordArchiver(
        ACCOUNT,
        new ParticipantMapper(
            MappingOverrides.none(),
            UserDirectory.empty(),
            MailboxDirectory.any(),
            Optional.of(archive),
            List.of()),
        new io.lparchiver.render.EmailRenderer(ZoneOffset.UTC),
        sink,
        state,
        clock,
        new DeliveryRetry(1, Duration.ZERO, d -> {}),
        Optional.empty(),
        Optional.empty(),
        open);
  }
}
