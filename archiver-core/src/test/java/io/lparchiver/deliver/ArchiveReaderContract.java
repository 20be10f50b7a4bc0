package io.lparchiver.deliver;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.ArchiveReader.ArchivedItem;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Receipt;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ArchiveReader} must do for {@code verify}, whatever the target that can be read
 * back (Maildir, IMAP, Graph). An adapter test implements this beside {@link MailboxSinkContract}.
 */
public interface ArchiveReaderContract {

  /** The sink under test; it must also be an {@link ArchiveReader}. */
  MailboxSink sink();

  default ArchiveReader reader() {
    return (ArchiveReader) sink();
  }

  /**
   * Asserts that what was read back shows the copy intact. Byte-exact targets return the bytes'
   * hash; a target that converts the message (Graph) overrides this.
   */
  default void assertIntact(ArchiveEmail delivered, ReadBack back) {
    assertThat(back).isInstanceOf(ReadBack.Bytes.class);
    ReadBack.Bytes bytes = (ReadBack.Bytes) back;
    assertThat(bytes.sha256()).isEqualTo(delivered.sha256());
    assertThat(bytes.bytes()).isEqualTo(delivered.size());
  }

  @Test
  default void aDeliveredCopyReadsBackIntactUnderItsItemId() throws Exception {
    ArchiveEmail email = email(key("read-1", 1), "hello\nGrüße 🙂");
    sink().ensureFolder(MailboxSinkContract.ANN);
    Receipt receipt = sink().deliver(MailboxSinkContract.ANN, email);

    ReadBack back = reader().readBack(MailboxSinkContract.ANN, email.key(), receipt.targetItemId());

    assertIntact(email, back);
  }

  @Test
  default void aStaleItemIdFallsBackToTheMessageId() throws Exception {
    ArchiveEmail email = email(key("read-2", 1), "moved");
    sink().ensureFolder(MailboxSinkContract.ANN);
    sink().deliver(MailboxSinkContract.ANN, email);

    assertIntact(email, reader().readBack(MailboxSinkContract.ANN, email.key(), "no-such-item"));
  }

  @Test
  default void aVersionNeverDeliveredIsMissing() throws Exception {
    ArchiveEmail email = email(key("read-3", 1), "only for Ann");
    sink().ensureFolder(MailboxSinkContract.ANN);
    Receipt receipt = sink().deliver(MailboxSinkContract.ANN, email);

    assertThat(reader().readBack(MailboxSinkContract.ANN, key("read-3", 2), ""))
        .isInstanceOf(ReadBack.Missing.class);
    assertThat(reader().readBack(MailboxSinkContract.BOB, email.key(), receipt.targetItemId()))
        .isInstanceOf(ReadBack.Missing.class);
  }

  @Test
  default void listingNamesEachArchivedVersionOnce() throws Exception {
    ArchiveEmail v1 = email(key("read-4", 1), "first");
    ArchiveEmail v2 = email(key("read-4", 2), "second");
    sink().ensureFolder(MailboxSinkContract.ANN);
    sink().deliver(MailboxSinkContract.ANN, v1);
    sink().deliver(MailboxSinkContract.ANN, v2);

    assertThat(reader().canList()).isTrue();
    assertThat(reader().list(MailboxSinkContract.ANN))
        .extracting(ArchivedItem::messageId)
        .containsExactlyInAnyOrder(v1.key().messageId(), v2.key().messageId());
    assertThat(reader().list(MailboxSinkContract.BOB)).isEmpty();
  }
}
