package io.lparchiver.deliver.maildir;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.TestEmails;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.testing.Dovecot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Maildir target writes, Dovecot serves as is: every copy reads back byte-identical. */
class MaildirServedByDovecotTest {

  static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  static final Mailbox ANN = new Mailbox("ann.lee@brand.example");
  static final Mailbox BOB = new Mailbox("bob.ray@brand.example");

  @TempDir Path dir;

  @Test
  void everyMessageReadsBackOverImapByteIdentical() throws Exception {
    Dovecot.requireInstalled();
    Path root = dir.resolve("archive");
    MaildirSink sink = new MaildirSink(root, FOLDER, Clock.systemUTC());
    List<ArchiveEmail> emails = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      emails.add(email(key("conv-" + i, 1), "conversation " + i + "\nGrüße 🙂"));
    }
    emails.add(TestEmails.large(key("conv-big", 1), 2 * 1024 * 1024));
    Map<Mailbox, List<ArchiveEmail>> expected =
        Map.of(ANN, emails, BOB, List.of(emails.get(0), emails.get(5)));
    for (Map.Entry<Mailbox, List<ArchiveEmail>> e : expected.entrySet()) {
      for (ArchiveEmail email : e.getValue()) {
        sink.deliver(e.getKey(), email);
      }
    }

    try (Dovecot dovecot =
        Dovecot.builder(dir)
            .mailRoot(root)
            .master("archiver", "master-pw")
            .user(ANN.address(), "ann-pw")
            .user(BOB.address(), "bob-pw")
            .start()) {
      for (Map.Entry<Mailbox, List<ArchiveEmail>> e : expected.entrySet()) {
        List<String> served =
            dovecot
                .fetchAll(e.getKey().address() + "*archiver", "master-pw", "INBOX." + FOLDER)
                .stream()
                .map(f -> TestEmails.sha256(f.mime()))
                .toList();
        assertThat(served)
            .as(e.getKey() + " served by Dovecot")
            .containsExactlyInAnyOrderElementsOf(
                e.getValue().stream().map(m -> TestEmails.sha256(m.mime())).toList());
      }
    }
  }
}
