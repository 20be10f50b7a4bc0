package io.lparchiver.overflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TestEmails.Attachment;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.model.SlicedOutputStream;
import io.lparchiver.testing.DirectMemory;
import io.lparchiver.testing.OverflowStubs;
import io.lparchiver.testing.OverflowStubs.Stub;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternaliserTest {

  @TempDir Path dir;

  private final MessageKey key = TestEmails.key("c-big", 1);
  private final byte[] big = TestEmails.randomBytes(300_000, 1);
  private final byte[] small = TestEmails.randomBytes(10_000, 2);

  private ArchiveEmail email() {
    return TestEmails.withAttachments(
        key, List.of(new Attachment("photo.jpg", big), new Attachment("note.txt", small)));
  }

  @Test
  void anEmailUnderTheLimitIsDeliveredAsItIs() throws Exception {
    ArchiveEmail email = email();
    try (Fitted fitted =
        new Externaliser(new OverflowStore(dir)).fit(email, SizeLimit.message(email.size()))) {
      assertSame(email, fitted.email());
      assertFalse(fitted.isExternalised());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(1, files.count(), "nothing stored: only the root exists");
    }
  }

  @Test
  void theLargestAttachmentMovesOutUntilTheMessageFits() throws Exception {
    ArchiveEmail email = email();
    long limit = 100_000;
    try (Fitted fitted =
        new Externaliser(new OverflowStore(dir)).fit(email, SizeLimit.message(limit))) {
      byte[] mime = fitted.email().mime();
      assertTrue(mime.length <= limit, "fits: " + mime.length);
      assertEquals(TestEmails.sha256(mime), fitted.email().sha256());
      assertEquals(email.key(), fitted.email().key());
      assertEquals(1, fitted.externalised().size());
      assertEquals("photo.jpg", fitted.externalised().get(0).fileName());

      List<Stub> stubs = OverflowStubs.in(mime);
      assertEquals(1, stubs.size());
      assertEquals("photo.jpg", stubs.get(0).fileName());
      assertEquals(TestEmails.sha256(big), stubs.get(0).sha256());
      assertEquals(big.length, stubs.get(0).size());
      OverflowStubs.assertStored(dir, stubs.get(0));
      assertArrayEquals(big, Files.readAllBytes(dir.resolve(stubs.get(0).relativePath())));

      MimeMessage msg = parse(mime);
      assertEquals(key.messageId(), msg.getMessageID(), "the Message-ID is kept");
      assertEquals("Mon, 2 Mar 2026 10:15:00 +0000", msg.getHeader("Date")[0]);
      Multipart mp = (Multipart) msg.getContent();
      assertEquals(3, mp.getCount(), "transcript, stub, small attachment, in the original order");
      assertTrue(mp.getBodyPart(0).isMimeType("multipart/alternative"));
      assertEquals("photo.jpg.externalised.txt", mp.getBodyPart(1).getFileName());
      BodyPart kept = mp.getBodyPart(2);
      assertEquals("note.txt", kept.getFileName());
      try (InputStream in = kept.getInputStream()) {
        assertArrayEquals(small, in.readAllBytes(), "the small attachment is untouched");
      }
    }
  }

  @Test
  void fittingTwiceGivesTheSameBytesAndOneStoredFile() throws Exception {
    Externaliser externaliser = new Externaliser(new OverflowStore(dir));
    String first;
    try (Fitted a = externaliser.fit(email(), SizeLimit.message(100_000))) {
      first = a.email().sha256();
    }
    try (Fitted b = externaliser.fit(email(), SizeLimit.message(100_000))) {
      assertEquals(first, b.email().sha256(), "deterministic: a redelivery is the same email");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      assertEquals(
          1, files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.")).count());
    }
  }

  @Test
  void anAttachmentOverThePerAttachmentLimitMovesEvenWhenTheMessageIsSmallEnough()
      throws Exception {
    try (Fitted fitted =
        new Externaliser(new OverflowStore(dir)).fit(email(), SizeLimit.attachment(50_000))) {
      assertEquals(
          List.of("photo.jpg"),
          fitted.externalised().stream().map(ExternalisedPart::fileName).toList());
      assertEquals(big.length, fitted.externalised().get(0).file().size());
    }
  }

  @Test
  void aLargeFileBackedEmailIsRewrittenThroughASpoolFileThatIsRemovedOnClose() throws Exception {
    byte[] huge = TestEmails.randomBytes(5_000_000, 3);
    ArchiveEmail email =
        TestEmails.withAttachments(
            key, List.of(new Attachment("video.mp4", huge), new Attachment("note.txt", small)));
    Fitted fitted =
        new Externaliser(new OverflowStore(dir)).fit(email, SizeLimit.attachment(4_000_000));
    assertTrue(fitted.spool().isPresent());
    List<Stub> stubs = OverflowStubs.in(fitted.email().mime());
    assertEquals(TestEmails.sha256(huge), stubs.get(0).sha256());
    OverflowStubs.assertStored(dir, stubs.get(0));
    fitted.close();
    assertFalse(Files.exists(fitted.spool().get()));
  }

  @Test
  void aLargeInMemoryEmailIsSpooledWithoutLeavingADirectBufferOfItsSizeOnTheLane()
      throws Exception {
    // over 4 MB, so it is spooled to a file; in memory, so its stream offers one write of it all
    ArchiveEmail email =
        TestEmails.withAttachments(
            key,
            List.of(
                new Attachment("video.mp4", TestEmails.randomBytes(6_000_000, 4)),
                new Attachment("note.txt", small)));
    Externaliser externaliser = new Externaliser(new OverflowStore(dir));
    long grown =
        DirectMemory.grownBy(
            () -> {
              try (Fitted fitted = externaliser.fit(email, SizeLimit.attachment(4_000_000))) {
                assertEquals(1, OverflowStubs.in(fitted.email().mime()).size());
              }
              return null;
            });
    assertTrue(grown < 2L * SlicedOutputStream.SLICE, "direct memory grew by " + grown);
  }

  @Test
  void aTranscriptTooBigForTheTargetIsAPermanentErrorThatNamesTheLimit() {
    OverflowException e =
        assertThrows(
            OverflowException.class,
            () -> new Externaliser(new OverflowStore(dir)).fit(email(), SizeLimit.message(500)));
    assertFalse(e.retriable());
    assertTrue(e.getMessage().contains("message 500 bytes"), e.getMessage());
    assertTrue(e.getMessage().contains(key.messageId()), e.getMessage());
  }

  private static MimeMessage parse(byte[] mime) throws Exception {
    return new MimeMessage(
        Session.getInstance(new Properties()), new SharedByteArrayInputStream(mime));
  }
}
