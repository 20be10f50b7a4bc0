package io.lparchiver.deliver.maildir;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.lparchiver.deliver.ArchiveReaderContract;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.MailboxSinkContract;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.SlicedOutputStream;
import io.lparchiver.testing.DirectMemory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaildirSinkTest implements MailboxSinkContract, ArchiveReaderContract {

  static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  static final Instant NOW = Instant.parse("2026-03-02T10:15:30.123456Z");

  @TempDir Path root;
  MaildirSink sink;

  @BeforeEach
  void createSink() {
    sink = new MaildirSink(root, FOLDER, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Override
  public MailboxSink sink() {
    return sink;
  }

  @Override
  public List<byte[]> storedMessages(Mailbox mailbox) throws IOException {
    List<byte[]> messages = new ArrayList<>();
    for (Path file : messageFiles(mailbox)) {
      messages.add(Files.readAllBytes(file));
    }
    return messages;
  }

  private Path folder(Mailbox mailbox) {
    return root.resolve(mailbox.address()).resolve(".INBOX." + FOLDER);
  }

  private List<Path> messageFiles(Mailbox mailbox) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("new", "cur")) {
      Path path = folder(mailbox).resolve(dir);
      if (Files.isDirectory(path)) {
        try (Stream<Path> listing = Files.list(path)) {
          listing.forEach(files::add);
        }
      }
    }
    return files;
  }

  @Test
  void layoutIsMaildirPlusPlusChildOfInboxAsDovecotServesIt() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "hello");

    Receipt receipt = sink.deliver(ANN, email);

    Path inbox = root.resolve("ann.lee@brand.example");
    Path folder = inbox.resolve(".INBOX.LivePerson Conversational Cloud DataParser");
    for (Path maildir : List.of(inbox, folder)) {
      assertThat(List.of("cur", "new", "tmp"))
          .allSatisfy(d -> assertThat(maildir.resolve(d)).isDirectory());
    }
    assertThat(folder.resolve("maildirfolder")).isRegularFile();
    assertThat(folder.resolve("new").resolve(receipt.targetItemId()))
        .hasBinaryContent(email.mime());
    assertThat(folder.resolve("tmp")).isEmptyDirectory();
    assertThat(receipt.targetItemId())
        .matches(
            "1772446530\\.M123456P\\d+Q\\d+_"
                + MaildirFileName.keyTag(email.key())
                + "\\.[A-Za-z0-9._-]+,S="
                + email.size());
    assertThat(MaildirFileName.keyTag(email.key())).matches("lp[0-9a-f]{20}");
  }

  @Test
  void foundReceiptNamesTheDeliveredFile() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "hello");

    Receipt delivered = sink.deliver(ANN, email);

    assertThat(sink.find(ANN, email.key()))
        .map(Receipt::targetItemId)
        .contains(delivered.targetItemId());
  }

  @Test
  void stillFoundAfterDovecotMovedItToCurWithFlags() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "read by a user");
    Receipt delivered = sink.deliver(ANN, email);
    Path folder = folder(ANN);

    Files.move(
        folder.resolve("new").resolve(delivered.targetItemId()),
        folder.resolve("cur").resolve(delivered.targetItemId() + ":2,S"));

    assertThat(nextRunsSink().find(ANN, email.key()))
        .hasValueSatisfying(
            r -> {
              assertThat(r.targetItemId()).isEqualTo(delivered.targetItemId());
              assertThat(r.alreadyPresent()).isTrue();
            });
  }

  @Test
  void findListsTheFolderOnceThenKnowsWhatThisSinkDelivers() throws Exception {
    ArchiveEmail before = email(key("conv-1", 1), "an earlier run");
    sink.deliver(ANN, before);
    MaildirSink next = nextRunsSink();
    ArchiveEmail later = email(key("conv-2", 1), "this run");

    assertThat(next.find(ANN, later.key())).isEmpty(); // lists the folder
    Receipt delivered = next.deliver(ANN, later);

    assertThat(next.find(ANN, later.key()))
        .map(Receipt::targetItemId)
        .contains(delivered.targetItemId());
    assertThat(next.find(ANN, before.key())).isPresent();
    assertThat(next.find(ANN, key("conv-3", 1))).isEmpty();
  }

  @Test
  void tagIsReadBackFromEveryFormOfTheName() {
    MessageKey key = key("conv-1", 7);
    String name = MaildirFileName.create(NOW, 42, 3, key, "host.example", 1234);

    assertThat(MaildirFileName.tagOf(name)).contains(MaildirFileName.keyTag(key));
    assertThat(MaildirFileName.tagOf(name + ":2,S")).contains(MaildirFileName.keyTag(key));
    assertThat(MaildirFileName.tagOf("1700000000.M1P2Q3.host,S=10")).isEmpty();
    assertThat(MaildirFileName.tagOf("x_lpshort.host")).isEmpty();
  }

  @Test
  void keyTagIsTheFirst20HexDigitsOfTheMessageIdsSha256() throws Exception {
    // the tag is in every file name already on disk: how it is computed must never change
    java.util.Random random = new java.util.Random(20261126);
    for (int i = 0; i < 2_000; i++) {
      MessageKey key =
          new MessageKey(
              String.valueOf(random.nextInt(100_000_000)),
              random.nextBoolean()
                  ? io.lparchiver.model.Channel.MESSAGING
                  : io.lparchiver.model.Channel.CHAT,
              java.util.UUID.randomUUID().toString(),
              1 + random.nextInt(50));
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(key.messageId().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String reference = "lp" + java.util.HexFormat.of().formatHex(digest).substring(0, 20);

      assertThat(MaildirFileName.keyTag(key)).isEqualTo(reference);
    }
  }

  @Test
  void aFolderRemovedAfterTheFirstCopyIsCreatedAgainForTheNext() throws Exception {
    sink.deliver(ANN, email(key("conv-1", 1), "first"));
    deleteTree(root.resolve(ANN.address())); // e.g. an operator cleaning up during a run

    Receipt second = sink.deliver(ANN, email(key("conv-2", 1), "second"));

    assertThat(folder(ANN).resolve("new").resolve(second.targetItemId())).isRegularFile();
    assertThat(folder(ANN).resolve(MaildirLayout.MAILDIRFOLDER_MARKER)).exists();
    assertThat(root.resolve(ANN.address()).resolve("cur")).isDirectory();
    assertThat(sink.find(ANN, key("conv-2", 1))).isPresent();
  }

  private static void deleteTree(Path top) throws IOException {
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** A sink as the next run opens it: nothing indexed yet. */
  @Override
  public Optional<MailboxSink> anotherWriter() {
    return Optional.of(nextRunsSink());
  }

  private MaildirSink nextRunsSink() {
    return new MaildirSink(root, FOLDER, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
  }

  @Test
  void everyFileDeclaresItsExactSize() throws Exception {
    for (int i = 0; i < 40; i++) {
      sink.deliver(ANN, email(key("conv-" + i, 1), "x".repeat(i * 997)));
    }

    List<Path> files = messageFiles(ANN);
    assertThat(files).hasSize(40);
    for (Path file : files) {
      assertThat(MaildirFileName.declaredSize(file.getFileName().toString()))
          .contains(Files.size(file));
    }
  }

  @Test
  void readersNeverSeeAPartialFileInNew() throws Exception {
    Path newDir = folder(ANN).resolve("new");
    sink.ensureFolder(ANN);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<String> partial = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (writing.get()) {
                checkSizes(newDir, partial);
              }
            });
    reader.start();
    try {
      for (int i = 0; i < 30; i++) {
        sink.deliver(ANN, TestEmails.sized(key("conv-" + i, 1), 200_000 + i * 10_000));
      }
    } finally {
      writing.set(false);
      reader.join();
    }
    checkSizes(newDir, partial);

    assertThat(partial).isEmpty();
    assertThat(messageFiles(ANN)).hasSize(30);
  }

  private static void checkSizes(Path dir, List<String> partial) {
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          f -> {
            try {
              Optional<Long> declared = MaildirFileName.declaredSize(f.getFileName().toString());
              if (declared.isEmpty() || declared.get() != Files.size(f)) {
                partial.add(f.getFileName().toString());
              }
            } catch (IOException e) {
              partial.add(f + ": " + e);
            }
          });
    } catch (IOException e) {
      partial.add(dir + ": " + e);
    }
  }

  @Test
  void leftoverTmpFileFromACrashIsNotADelivery() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "crashed half way");
    sink.ensureFolder(ANN);
    String name = MaildirFileName.create(NOW, 1, 1, email.key(), "crashed-host", email.size());
    Files.write(folder(ANN).resolve("tmp").resolve(name), new byte[] {'M', 'e'});

    assertThat(sink.find(ANN, email.key())).isEmpty();

    sink.deliver(ANN, email);
    assertThat(sink.find(ANN, email.key())).isPresent();
    assertThat(storedMessages(ANN)).hasSize(1);
  }

  @Test
  void ensureFolderRemovesOnlyStaleTmpFiles() throws Exception {
    sink.ensureFolder(ANN);
    Path tmp = folder(ANN).resolve("tmp");
    Path stale = Files.writeString(tmp.resolve("stale"), "x");
    Path fresh = Files.writeString(tmp.resolve("fresh"), "x");
    Files.setLastModifiedTime(stale, FileTime.from(NOW.minus(Duration.ofHours(37))));
    Files.setLastModifiedTime(fresh, FileTime.from(NOW.minus(Duration.ofHours(35))));

    sink.ensureFolder(ANN);

    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void nonAsciiFolderNameIsStoredInModifiedUtf7LikeDovecot() throws Exception {
    MaildirSink german = new MaildirSink(root, "Archiv Gespräche & Co", Clock.systemUTC());

    german.ensureFolder(ANN);

    // the name Dovecot 2.3 itself wrote for CREATE "INBOX.Archiv Gespr&AOQ-che &- Co"
    assertThat(root.resolve("ann.lee@brand.example/.INBOX.Archiv Gespr&AOQ-che &- Co/new"))
        .isDirectory();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "Archive.LivePerson", "Archive/LivePerson", "a\nb", "a*", " lead"})
  void folderNamesThatWouldNestOrBreakAreRejected(String name) {
    assertThat(MaildirSink.validateFolderName(name)).isPresent();
    assertThatThrownBy(() -> new MaildirSink(root, name, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target.folder");
  }

  @Test
  void separatorRejectionSaysWhy() {
    assertThat(MaildirSink.validateFolderName("Archive.LivePerson"))
        .hasValueSatisfying(m -> assertThat(m).contains("'.' or '/'", "Archive.LivePerson"));
    assertThat(MaildirSink.validateFolderName(FOLDER)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"../evil@x", "a/b@x", "..", "", "a\\b@x"})
  void addressesThatCouldEscapeTheRootAreRefused(String address) {
    assertThatThrownBy(() -> MaildirLayout.of(root, address, FOLDER))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileInTheWayIsAPermanentFailureNamingThePath() throws Exception {
    Files.writeString(root.resolve(ANN.address()), "not a directory");

    assertThatThrownBy(() -> sink.deliver(ANN, email(key("conv-1", 1), "x")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining(root.resolve(ANN.address()).toString());
  }

  @Test
  void permissionDeniedIsPermanentAndSaysWhatToDo() throws Exception {
    assumeFalse("root".equals(System.getProperty("user.name")), "root ignores file modes");
    sink.ensureFolder(ANN);
    Path tmp = folder(ANN).resolve("tmp");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assertThatThrownBy(() -> sink.deliver(ANN, email(key("conv-1", 1), "x")))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("permission denied")
          .hasMessageContaining("write access");
    } finally {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void failuresAreClassifiedForRetryAndNameThePath() {
    Path path = root.resolve("x");

    DeliveryException denied =
        MaildirSink.failure("write", path, new AccessDeniedException(path.toString()));
    DeliveryException full =
        MaildirSink.failure("write", path, new IOException("No space left on device"));
    DeliveryException other = MaildirSink.failure("write", path, new IOException("I/O error"));

    assertThat(denied.retriable()).isFalse();
    assertThat(full.retriable()).isTrue();
    assertThat(full.getMessage()).contains("disk full", path.toString(), "free space");
    assertThat(other.retriable()).isTrue();
    assertThat(other.getMessage()).contains(path.toString(), "I/O error");
  }

  @Test
  void aLargeEmailLeavesNoDirectBufferOfItsSizeBehindOnTheLane() throws Exception {
    // a FileChannel write of a heap array goes through a direct buffer of its whole size, which
    // the JDK keeps for the writing thread; a fresh thread starts without one
    ArchiveEmail email = TestEmails.sized(key("big", 1), 8 * 1024 * 1024);
    long grown = DirectMemory.grownBy(() -> sink.deliver(ANN, email));

    byte[] expected;
    try (InputStream in = email.open()) {
      expected = in.readAllBytes();
    }
    assertThat(storedMessages(ANN)).singleElement().isEqualTo(expected);
    assertThat(grown).isLessThan(2L * SlicedOutputStream.SLICE);
  }

  @Test
  void hostNameCannotBreakTheFileNameSyntax() {
    assertThat(MaildirFileName.sanitiseHost("mail/host:1,S=9")).isEqualTo("mail_host_1_S_9");
    assertThat(MaildirFileName.sanitiseHost("")).isEqualTo("localhost");
  }
}
