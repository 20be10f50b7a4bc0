package io.lparchiver.deliver.imap;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static io.lparchiver.deliver.imap.ImapSinkTest.FOLDER_PATH;
import static io.lparchiver.deliver.imap.ImapSinkTest.MASTER;
import static io.lparchiver.deliver.imap.ImapSinkTest.MASTER_PASSWORD;
import static io.lparchiver.deliver.imap.ImapSinkTest.deliverAtOnce;
import static io.lparchiver.deliver.imap.ImapSinkTest.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.ArchiveReaderContract;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.MailboxSinkContract;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Receipt;
import io.lparchiver.testing.Dovecot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IMAP target against a Dovecot that does not advertise UIDPLUS, as some older servers do not:
 * no APPENDUID to name a copy, so its receipt comes from a search for its Message-ID. The sink
 * contract must hold all the same, and each receipt must name its own copy.
 */
class ImapSinkWithoutUidplusTest implements MailboxSinkContract, ArchiveReaderContract {

  /** Dovecot 2.3's own list after login, without UIDPLUS. */
  private static final String CAPABILITIES =
      "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND"
          + " UNSELECT CHILDREN NAMESPACE LIST-EXTENDED I18NLEVEL=1 ESEARCH SEARCHRES WITHIN"
          + " CONTEXT=SEARCH LIST-STATUS BINARY MOVE SPECIAL-USE LITERAL+";

  @TempDir static Path dir;
  static Dovecot dovecot;

  ImapSink sink;
  final List<ImapSink> sinks = new ArrayList<>();

  @BeforeAll
  static void startDovecot() throws Exception {
    dovecot =
        Dovecot.builder(dir)
            .imapCapability(CAPABILITIES)
            .master(MASTER, MASTER_PASSWORD)
            .user(ANN.address(), "ann-pw")
            .user(BOB.address(), "bob-pw")
            .start();
  }

  @AfterAll
  static void stopDovecot() {
    if (dovecot != null) {
      dovecot.close();
    }
  }

  @BeforeEach
  void freshMailboxes() throws Exception {
    dovecot.wipeMail();
    sink = open(4);
  }

  @AfterEach
  void closeSinks() {
    sinks.forEach(ImapSink::close);
  }

  ImapSink open(int connectionsPerMailbox) {
    ImapSink s =
        new ImapSink(
            settings(dovecot.port(), MASTER_PASSWORD, connectionsPerMailbox), Clock.systemUTC());
    sinks.add(s);
    return s;
  }

  @Override
  public MailboxSink sink() {
    return sink;
  }

  @Override
  public Optional<MailboxSink> anotherWriter() {
    return Optional.of(open(4));
  }

  @Override
  public List<byte[]> storedMessages(Mailbox mailbox) throws Exception {
    return dovecot.fetchAll(mailbox.address() + "*" + MASTER, MASTER_PASSWORD, FOLDER_PATH).stream()
        .map(Dovecot.Fetched::mime)
        .toList();
  }

  @Test
  void aCopyAppendedAloneIsNamedByTheUidTheSearchFinds() throws Exception {
    ArchiveEmail first = email(key("conv-1", 1), "first");
    ArchiveEmail second = email(key("conv-2", 1), "second");
    sink.ensureFolder(ANN);

    Receipt one = sink.deliver(ANN, first);
    Receipt two = sink.deliver(ANN, second);

    assertThat(sink.receiptsBySearch()).isEqualTo(2);
    assertThat(one.targetItemId()).matches("\\d+:1");
    assertThat(two.targetItemId()).matches("\\d+:2");
    MailboxSink fresh = open(4);
    assertThat(fresh.find(ANN, first.key()).map(Receipt::targetItemId))
        .contains(one.targetItemId());
    assertThat(fresh.find(ANN, second.key()).map(Receipt::targetItemId))
        .contains(two.targetItemId());
  }

  @Test
  void copiesAppendedTogetherAreEachNamedByTheirOwnUid() throws Exception {
    ImapSink oneConnection = open(1);
    oneConnection.ensureFolder(ANN);
    List<ArchiveEmail> emails = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      emails.add(email(key("conv-" + i, 1), "conversation " + i));
    }

    Map<ArchiveEmail, Object> receipts = deliverAtOnce(oneConnection, ANN, emails);

    assertThat(oneConnection.multiAppends()).as("copies that waited went together").isPositive();
    assertThat(oneConnection.receiptsBySearch()).isEqualTo(emails.size());
    assertThat(storedMessages(ANN)).hasSize(emails.size());
    ImapSink fresh = open(4);
    for (ArchiveEmail e : emails) {
      assertThat(receipts.get(e)).isInstanceOf(Receipt.class);
      String id = ((Receipt) receipts.get(e)).targetItemId();
      assertThat(id).as(e.key().messageId()).matches("\\d+:\\d+");
      assertThat(fresh.find(ANN, e.key()).map(Receipt::targetItemId))
          .as(e.key().messageId())
          .contains(id);
    }
  }
}
