package io.lparchiver.deliver.maildir;

import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.DeliveredIndex;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.Sha256;
import io.lparchiver.model.SlicedOutputStream;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Delivers into Maildir++ directories that Dovecot serves with {@code mail_location =
 * maildir:{root}/%u}: the archive folder of {@code ann@example.com} is {@code
 * {root}/ann@example.com/.INBOX.{folder}/}, which IMAP lists as {@code INBOX.{folder}}.
 *
 * <p>Each message is written to {@code tmp/}, forced to disk, renamed atomically into {@code new/}
 * and the directory forced, so a file in {@code new/} is always complete and durable. The file name
 * carries a tag of the Message-ID, which is how {@link #find} recognises a delivered version.
 *
 * <p>Thread-safe. {@link #find} lists each archive folder once per sink (that is, once per run) and
 * then answers from that index, which {@link #deliver} keeps up to date: listing the folder on
 * every delivery made a run quadratic in the size of the archive. Only lp-archiver writes tagged
 * files, and the state store's lock allows one lp-archiver per archive at a time.
 */
public final class MaildirSink implements MailboxSink, ArchiveReader {

  /** Maildir convention: a tmp file this old is a leftover of a crashed writer. */
  static final Duration STALE_TMP = Duration.ofHours(36);

  private static final AtomicLong COUNTER = new AtomicLong();

  private final Path root;
  private final String folderName;
  private final Clock clock;
  private final long pid = ProcessHandle.current().pid();
  private final String host = MaildirFileName.sanitiseHost(localHostName());

  /** The key tags of each archive folder's copies (Maildir names carry a tag, not the id). */
  private final DeliveredIndex index = new DeliveredIndex();

  /** Mailboxes' archive folders whose paths this sink keeps resolved; more are resolved again. */
  private static final int KNOWN_FOLDERS = 4096;

  // by address: resolving and checking the layout, and creating the directories, once per mailbox
  private final Map<String, Folder> folders = new ConcurrentHashMap<>();

  /**
   * One mailbox's archive folder as this sink uses it: its paths, resolved once, and whether this
   * sink has made sure its directories exist (then a copy needs no mkdir calls; a folder removed
   * meanwhile is created again, see {@link #deliver}).
   */
  private static final class Folder {
    final MaildirLayout layout;
    final String indexKey;
    final Path tmp;
    final Path newDir;
    volatile boolean created;

    Folder(MaildirLayout layout) {
      this.layout = layout;
      this.indexKey = layout.folder().toString();
      this.tmp = layout.folderTmp();
      this.newDir = layout.folderNew();
    }
  }

  public MaildirSink(Path root, String folderName, Clock clock) {
    validateFolderName(folderName)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    this.root = root.toAbsolutePath().normalize();
    this.folderName = folderName;
    this.clock = clock;
  }

  /**
   * Checks a folder name for use under the Inbox; empty when usable, else what is wrong. The
   * hierarchy separators {@code .} and {@code /} would create nested folders instead of one.
   */
  public static Optional<String> validateFolderName(String name) {
    if (name == null || name.isBlank()) {
      return Optional.of("target.folder must not be blank");
    }
    if (!name.strip().equals(name)) {
      return Optional.of("target.folder must not start or end with spaces: '" + name + "'");
    }
    if (name.contains(".") || name.contains("/")) {
      return Optional.of(
          "target.folder must not contain '.' or '/' (Maildir++/IMAP hierarchy separators"
              + " would make nested folders): '"
              + name
              + "'");
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '*' || c == '%')) {
      return Optional.of(
          "target.folder must not contain control characters or the IMAP wildcards * and %: '"
              + name
              + "'");
    }
    if (ModifiedUtf7.encode(name).length() > 200) {
      return Optional.of("target.folder is too long for a directory name: '" + name + "'");
    }
    return Optional.empty();
  }

  @Override
  public String type() {
    return "maildir";
  }

  @Override
  public void forgetListings() {
    index.forgetListings();
  }

  @Override
  public void ensureFolder(Mailbox mailbox) throws DeliveryException {
    Folder f = folder(mailbox);
    createFolder(f);
    removeStaleTmpFiles(f.tmp);
  }

  @Override
  public Optional<Receipt> find(Mailbox mailbox, MessageKey key) throws DeliveryException {
    Folder f = folder(mailbox);
    MaildirLayout layout = f.layout;
    String folder = f.indexKey;
    String tag = MaildirFileName.keyTag(key);
    Optional<Boolean> mayHold = index.mayHold(folder, tag);
    if (mayHold.isEmpty()) {
      index.listed(folder, tagsIn(layout));
      mayHold = index.mayHold(folder, tag);
    }
    if (!mayHold.orElse(true)) {
      return Optional.empty();
    }
    // new/ before cur/: a file Dovecot moves new -> cur meanwhile is then seen in cur/
    for (Path dir : new Path[] {layout.folderNew(), layout.folderCur()}) {
      Optional<String> name = findTagged(dir, tag);
      if (name.isPresent()) {
        return Optional.of(new Receipt(mailbox, key, MaildirFileName.base(name.get()), true));
      }
    }
    return Optional.empty();
  }

  private static List<String> tagsIn(MaildirLayout layout) throws DeliveryException {
    List<String> tags = new ArrayList<>();
    for (Path dir : new Path[] {layout.folderNew(), layout.folderCur()}) {
      forEachName(dir, name -> MaildirFileName.tagOf(name).ifPresent(tags::add));
    }
    return tags;
  }

  @Override
  public Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException {
    Folder f = folder(mailbox);
    String tag = MaildirFileName.keyTag(email.key());
    for (int attempt = 1; ; attempt++) {
      if (!f.created) {
        createFolder(f);
      }
      String name =
          MaildirFileName.create(
              clock.instant(), pid, COUNTER.incrementAndGet(), tag, host, email.size());
      Path tmp = f.tmp.resolve(name);
      Path target = f.newDir.resolve(name);
      try {
        writeDurably(tmp, email);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        deleteQuietly(tmp);
        index.added(f.indexKey, tag); // may have been written after all: ask next time
        if (e instanceof NoSuchFileException && f.created && attempt == 1) {
          f.created = false; // the folder was removed since this sink created it: create it again
          continue;
        }
        f.created = false;
        throw failure("write message into", target, e);
      }
      forceDirectory(f.newDir);
      index.added(f.indexKey, tag);
      return new Receipt(mailbox, email.key(), name, false);
    }
  }

  @Override
  public ReadBack readBack(Mailbox mailbox, MessageKey key, String targetItemId)
      throws DeliveryException {
    MaildirLayout layout = layout(mailbox);
    String tag = MaildirFileName.keyTag(key);
    for (Path dir : new Path[] {layout.folderNew(), layout.folderCur()}) {
      Optional<String> name = findNamed(dir, targetItemId, tag);
      if (name.isPresent()) {
        Path file = dir.resolve(name.get());
        try {
          return new ReadBack.Bytes(
              MaildirFileName.base(name.get()), Sha256.of(file), Files.size(file));
        } catch (NoSuchFileException e) {
          continue; // moved new -> cur meanwhile: cur/ is read next
        } catch (IOException e) {
          throw failure("read", file, e);
        }
      }
    }
    return new ReadBack.Missing();
  }

  @Override
  public List<ArchivedItem> list(Mailbox mailbox) throws DeliveryException {
    MaildirLayout layout = layout(mailbox);
    List<ArchivedItem> items = new ArrayList<>();
    for (Path dir : new Path[] {layout.folderNew(), layout.folderCur()}) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
        for (Path file : files) {
          messageId(file)
              .filter(ArchiveReader::isArchiverMessageId)
              .ifPresent(
                  id ->
                      items.add(
                          new ArchivedItem(
                              id, MaildirFileName.base(file.getFileName().toString()))));
        }
      } catch (NoSuchFileException e) {
        // folder never created: nothing archived there
      } catch (IOException e) {
        throw failure("list", dir, e);
      }
    }
    return List.copyOf(items);
  }

  /** The Message-ID header of a message file; only the header section is read. */
  private static Optional<String> messageId(Path file) throws DeliveryException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      String id = new InternetHeaders(in).getHeader("Message-ID", null);
      return Optional.ofNullable(id).map(String::strip);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // moved new -> cur meanwhile; seen in cur/
    } catch (MessagingException e) {
      return Optional.empty(); // not a message lp-archiver wrote
    } catch (IOException e) {
      throw failure("read", file, e);
    }
  }

  /** The file whose base name is the ledger's item id, else any file tagged with the key. */
  private static Optional<String> findNamed(Path dir, String itemId, String tag)
      throws DeliveryException {
    Optional<String> tagged = Optional.empty();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (!itemId.isEmpty() && MaildirFileName.base(name).equals(itemId)) {
          return Optional.of(name);
        }
        if (tagged.isEmpty() && MaildirFileName.tagOf(name).filter(tag::equals).isPresent()) {
          tagged = Optional.of(name);
        }
      }
      return tagged;
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw failure("list", dir, e);
    }
  }

  private MaildirLayout layout(Mailbox mailbox) throws DeliveryException {
    try {
      return MaildirLayout.of(root, mailbox.address(), folderName);
    } catch (IllegalArgumentException e) {
      throw new DeliveryException(e.getMessage(), false, e);
    }
  }

  private Folder folder(Mailbox mailbox) throws DeliveryException {
    Folder known = folders.get(mailbox.address());
    if (known != null) {
      return known;
    }
    if (folders.size() >= KNOWN_FOLDERS) {
      folders.clear(); // resolved again when next used; keeps a run over many mailboxes bounded
    }
    Folder made = new Folder(layout(mailbox));
    Folder raced = folders.putIfAbsent(mailbox.address(), made);
    return raced == null ? made : raced;
  }

  private static void createFolder(Folder f) throws DeliveryException {
    createFolder(f.layout);
    f.created = true;
  }

  private static void createFolder(MaildirLayout layout) throws DeliveryException {
    for (Path maildir : new Path[] {layout.inbox(), layout.folder()}) {
      for (String sub : new String[] {"cur", "new", "tmp"}) {
        Path dir = maildir.resolve(sub);
        try {
          Files.createDirectories(dir); // tolerates a concurrent creator
        } catch (IOException e) {
          throw failure("create directory", dir, e);
        }
      }
    }
    Path marker = layout.folder().resolve(MaildirLayout.MAILDIRFOLDER_MARKER);
    try {
      Files.createFile(marker);
    } catch (FileAlreadyExistsException e) {
      // created before, or by a concurrent caller
    } catch (IOException e) {
      throw failure("create", marker, e);
    }
  }

  private static void writeDurably(Path tmp, ArchiveEmail email) throws IOException {
    try (FileChannel channel =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      try (InputStream in = email.open()) {
        in.transferTo(new SlicedOutputStream(Channels.newOutputStream(channel)));
      }
      channel.force(true);
    }
  }

  /** Makes the rename durable; some filesystems refuse to open or sync a directory. */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // best effort by design: the rename itself is atomic either way
    }
  }

  private static Optional<String> findTagged(Path dir, String tag) throws DeliveryException {
    List<String> found = new ArrayList<>(1);
    forEachName(
        dir,
        name -> MaildirFileName.tagOf(name).filter(tag::equals).ifPresent(t -> found.add(name)));
    return found.stream().findFirst();
  }

  private static void forEachName(Path dir, Consumer<String> action) throws DeliveryException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        action.accept(file.getFileName().toString());
      }
    } catch (NoSuchFileException e) {
      // folder not created yet: nothing delivered
    } catch (IOException e) {
      throw failure("list", dir, e);
    }
  }

  private void removeStaleTmpFiles(Path tmpDir) throws DeliveryException {
    Instant cutoff = clock.instant().minus(STALE_TMP);
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir)) {
      for (Path file : files) {
        if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
          deleteQuietly(file);
        }
      }
    } catch (NoSuchFileException e) {
      // a concurrent cleaner removed it first
    } catch (IOException e) {
      throw failure("clean up", tmpDir, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // leftover tmp files are harmless: never listed as delivered, removed after 36 h
    }
  }

  /** Translates an I/O failure into what an operator can act on, and whether a retry may help. */
  static DeliveryException failure(String action, Path path, IOException e) {
    String reason =
        e instanceof FileSystemException fse && fse.getReason() != null
            ? fse.getReason()
            : String.valueOf(e.getMessage());
    if (reason.contains("Read-only file system")) {
      return new DeliveryException(
          "read-only file system: cannot "
              + action
              + " "
              + path
              + "; remount the Maildir's file system read-write (check the system log for why it"
              + " turned read-only), then run again",
          false,
          e);
    }
    if (e instanceof AccessDeniedException) {
      return new DeliveryException(
          "permission denied: cannot "
              + action
              + " "
              + path
              + "; give the archiver's user write access to the Maildir root (owner and mode)",
          false,
          e);
    }
    if (e instanceof NotDirectoryException
        || e instanceof FileAlreadyExistsException
        || reason.contains("Not a directory")) {
      return new DeliveryException(
          "cannot "
              + action
              + " "
              + path
              + ": a file is in the way of a Maildir directory; move it aside",
          false,
          e);
    }
    if (reason.contains("No space left") || reason.contains("quota")) {
      return new DeliveryException(
          "disk full: cannot "
              + action
              + " "
              + path
              + "; free space or raise the quota on that filesystem, then retry",
          true,
          e);
    }
    return new DeliveryException("cannot " + action + " " + path + ": " + reason, true, e);
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
