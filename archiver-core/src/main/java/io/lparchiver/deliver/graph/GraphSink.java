package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.DeliveredIndex;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.deliver.graph.GraphApi.Found;
import io.lparchiver.deliver.graph.GraphItem.Attachment;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.Sha256;
import io.lparchiver.model.SizeLimit;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers into Microsoft 365 mailboxes through Microsoft Graph: one item per email in {@code
 * Inbox/<folder>}, created from JSON as a received, read, non-draft message (see {@link
 * GraphItem}), recognisable by the named extended property {@code LpArchiverMessageKey}.
 *
 * <p>Exactly once: {@link #find} returns only complete items (attachment count as recorded at
 * creation) and deletes incomplete ones, which a crash between create and attach leaves; a write
 * whose reply was lost is looked up before it is written again. Thread-safe; per mailbox at most
 * four requests are in flight ({@link JdkGraphHttp}).
 *
 * <p>Requests: a lookup per copy would double what a copy costs (Graph counts every request against
 * the mailbox's budget). So each archive folder is listed once per run into a {@link
 * DeliveredIndex} (pages of 1,000 ids with the key property), and a copy the folder does not hold
 * is answered without a request; the lookup is made only when the index says the copy may be there
 * (listed, or written by this run, also when the write's outcome was unknown). A folder is listed
 * only once it pays: a folder of n items costs n / 1,000 pages, so its first lookups of the run go
 * to Graph one by one and the listing is made when they have cost as much (a short incremental run
 * into a big archive then never lists it; a backfill lists each folder at its first copy).
 */
public final class GraphSink implements MailboxSink, ArchiveReader {

  private static final Logger log = LoggerFactory.getLogger(GraphSink.class);
  private static final int WRITE_ATTEMPTS = 5;
  private static final int FOLDER_ATTEMPTS = 3;

  /** The attachment that holds the LivePerson record byte for byte. */
  static final String CONVERSATION_JSON = "conversation.json";

  private final GraphSettings settings;
  private final GraphHttp http;
  private final GraphApi api;
  private final GraphUsers users;
  private final Path spoolDir;
  private final Map<String, ArchiveFolder> folders = new ConcurrentHashMap<>();
  private final int listPageSize;

  /** A conversation's copies go to several mailboxes one after another: converted once. */
  private final ConvertedItems convertedItems = new ConvertedItems(16L * 1024 * 1024);

  /** The key properties of each archive folder's items, listed once per run. */
  private final DeliveredIndex index = new DeliveredIndex();

  /**
   * A mailbox's archive folder in this run. Its monitor is held while the folder is listed and
   * around deletes in it: a delete during the listing would shift the next page past an item.
   */
  private final class ArchiveFolder {
    final String id;
    final String indexName;

    /** Single lookups still cheaper than listing the folder (its pages), counted down. */
    final AtomicInteger lookupsBeforeListing;

    ArchiveFolder(String user, String id, long itemCount) {
      this.id = id;
      this.indexName = user + "/" + id;
      this.lookupsBeforeListing = new AtomicInteger(pages(itemCount) - 1);
    }

    int pages(long itemCount) {
      return (int) Math.max(1, (itemCount + listPageSize - 1) / listPageSize);
    }
  }

  GraphSink(GraphSettings settings, GraphHttp http, Path spoolDir) {
    this(settings, http, spoolDir, GraphApi.MAX_TOP);
  }

  /** {@code listPageSize}: items per page of a folder listing; below Graph's 1,000 for tests. */
  GraphSink(GraphSettings settings, GraphHttp http, Path spoolDir, int listPageSize) {
    this.listPageSize = listPageSize;
    this.settings = settings;
    this.http = http;
    this.api = new GraphApi(settings, http);
    this.users = new GraphUsers(api);
    this.spoolDir = spoolDir;
  }

  /** The production wiring: JDK HTTP client, hand-written client-credentials tokens. */
  public static GraphSink create(GraphSettings settings, Clock clock, Path spoolDir) {
    HttpClient client = JdkGraphHttp.newClient();
    TokenProvider tokens = new ClientCredentialsTokenProvider(settings, client, clock);
    return new GraphSink(settings, new JdkGraphHttp(settings, client, tokens, clock), spoolDir);
  }

  /** The tenant's users, for the mapping stage's mailbox directory. */
  public GraphUsers users() {
    return users;
  }

  @Override
  public String type() {
    return "graph";
  }

  @Override
  public void forgetListings() {
    index.forgetListings();
  }

  @Override
  public void ensureFolder(Mailbox mailbox) throws DeliveryException {
    folder(user(mailbox), true);
  }

  @Override
  public Optional<Receipt> find(Mailbox mailbox, MessageKey key) throws DeliveryException {
    String user = user(mailbox);
    Optional<ArchiveFolder> folder = folder(user, false);
    if (folder.isEmpty() || !mayHold(user, folder.get(), key)) {
      return Optional.empty();
    }
    return findComplete(user, folder.get(), key).map(id -> new Receipt(mailbox, key, id, true));
  }

  /** Whether the folder may hold the copy: from its listing, once listing it pays. */
  private boolean mayHold(String user, ArchiveFolder folder, MessageKey key)
      throws DeliveryException {
    Optional<Boolean> known = index.mayHold(folder.indexName, key.messageId());
    if (known.isPresent()) {
      return known.get();
    }
    if (folder.lookupsBeforeListing.get() > 0
        && folder.lookupsBeforeListing.getAndDecrement() > 0) {
      return true; // one lookup is still cheaper than the listing
    }
    synchronized (folder) {
      known = index.mayHold(folder.indexName, key.messageId());
      if (known.isEmpty()) {
        DeliveredIndex.Listing listing = index.listing(folder.indexName);
        long[] items = {0};
        api.forEachMessage(
            user,
            folder.id,
            listPageSize,
            "id",
            List.of(GraphItem.KEY_PROPERTY),
            f -> {
              items[0]++;
              String messageKey = f.properties().get(GraphItem.KEY_PROPERTY);
              if (messageKey != null) {
                listing.add(messageKey);
              }
            });
        listing.complete();
        // should the index drop this folder (least recently used), it is listed again only
        // after as many single lookups as this listing cost
        folder.lookupsBeforeListing.set(folder.pages(items[0]) - 1);
        log.debug("Listed {} items of the archive folder of {}", items[0], user);
        known = index.mayHold(folder.indexName, key.messageId());
      }
    }
    return known.orElse(true);
  }

  /** Graph takes any number of attachments up to target.graph.maxAttachmentSize each. */
  @Override
  public SizeLimit sizeLimit(Mailbox mailbox) {
    return SizeLimit.attachment(settings.maxAttachmentBytes());
  }

  @Override
  public Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException {
    String user = user(mailbox);
    ArchiveFolder folder = folder(user, true).orElseThrow();
    // from now on the folder may hold the copy, whatever happens to this write (a reply lost
    // after Graph committed it, a partial item left behind): the next find asks Graph
    index.added(folder.indexName, email.key().messageId());
    String converted = ConvertedItems.key(email.key().messageId(), email.sha256());
    Optional<byte[]> request = convertedItems.get(converted);
    if (request.isPresent()) {
      byte[] json = request.get();
      return writeWithRetries(
          mailbox, user, folder, email, () -> api.createMessage(user, folder.id, json));
    }
    try (ParsedEmail parsed = ParsedEmail.parse(email, spoolDir)) {
      GraphItem item =
          GraphItem.of(email.key(), email.sha256(), parsed, settings.maxAttachmentBytes());
      Optional<byte[]> inline = item.inlineRequest();
      if (inline.isPresent()) {
        convertedItems.put(converted, inline.get());
        return writeWithRetries(
            mailbox, user, folder, email, () -> api.createMessage(user, folder.id, inline.get()));
      }
      return writeWithRetries(mailbox, user, folder, email, () -> writeInParts(user, folder, item));
    } catch (IOException e) {
      throw new DeliveryException(
          "cannot read " + email.key().messageId() + ": " + e.getMessage(), true, e);
    }
  }

  /** One attempt to create an item; returns its id. */
  @FunctionalInterface
  private interface Write {
    String run() throws DeliveryException, IOException;
  }

  /** Retries what Graph lets us retry; a write whose outcome is unknown is looked up first. */
  private Receipt writeWithRetries(
      Mailbox mailbox, String user, ArchiveFolder folder, ArchiveEmail email, Write write)
      throws DeliveryException {
    DeliveryException last = null;
    for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
      try {
        return new Receipt(mailbox, email.key(), write.run(), false);
      } catch (IOException e) {
        throw new DeliveryException(
            "cannot read " + email.key().messageId() + ": " + e.getMessage(), true, e);
      } catch (GraphCallException e) {
        if (!e.retriable()) {
          throw e;
        }
        last = e;
        log.info(
            "Writing {} to {} failed (attempt {}): {}",
            email.key().messageId(),
            mailbox,
            attempt,
            e.getMessage());
        JdkGraphHttp.pause(
            e.retryAfter().isZero()
                ? settings.firstBackoff().multipliedBy(attempt)
                : e.retryAfter());
        if (e.ambiguous()) {
          Optional<String> written = findComplete(user, folder, email.key());
          if (written.isPresent()) {
            return new Receipt(mailbox, email.key(), written.get(), false);
          }
        }
      }
    }
    throw new DeliveryException(
        "cannot write "
            + email.key().messageId()
            + " to "
            + mailbox
            + " after "
            + WRITE_ATTEMPTS
            + " attempts: "
            + last.getMessage(),
        true,
        last);
  }

  /**
   * Graph does not give back the MIME bytes, so verification covers what the item carries: it
   * exists in the archive folder, its recorded email SHA-256, every attachment's bytes hashed from
   * {@code $value}, the attachment count and body text hash recorded at creation, and the body's
   * visible text now ({@link BodyText}). Nothing is deleted here.
   */
  @Override
  public ReadBack readBack(Mailbox mailbox, MessageKey key, String targetItemId)
      throws DeliveryException {
    String user = user(mailbox);
    Optional<String> folder = folder(user, false).map(f -> f.id);
    if (folder.isEmpty()) {
      return new ReadBack.Missing();
    }
    List<String> expand =
        List.of(
            GraphItem.KEY_PROPERTY,
            GraphItem.EMAIL_SHA256_PROPERTY,
            GraphItem.COUNT_PROPERTY,
            GraphItem.BODY_TEXT_PROPERTY);
    Optional<Found> item =
        targetItemId.isEmpty()
            ? Optional.empty()
            : api.message(user, targetItemId, expand)
                .filter(f -> key.messageId().equals(f.properties().get(GraphItem.KEY_PROPERTY)));
    if (item.isEmpty()) {
      // Exchange gives an item a new id when it is moved; the key property still finds it.
      item =
          api
              .findByProperty(user, folder.get(), GraphItem.KEY_PROPERTY, key.messageId(), expand)
              .stream()
              .findFirst();
    }
    if (item.isEmpty()) {
      return new ReadBack.Missing();
    }
    String id = item.get().id();
    Optional<String> json = Optional.empty();
    List<ReadBack.Attachment> attachments = new ArrayList<>();
    for (GraphApi.AttachmentInfo a : api.attachments(user, id)) {
      // Graph's "size" counts the attachment item, not the file: the bytes are measured instead.
      ReadBack.Attachment read;
      try {
        byte[] bytes = api.attachmentContent(user, id, a.id());
        read = new ReadBack.Attachment(a.name(), bytes.length, Optional.of(Sha256.of(bytes)), "");
      } catch (DeliveryException e) {
        read = new ReadBack.Attachment(a.name(), a.size(), Optional.empty(), e.getMessage());
      }
      attachments.add(read);
      if (CONVERSATION_JSON.equals(a.name()) && json.isEmpty()) {
        json = read.sha256();
      }
    }
    JsonNode body = api.body(user, id);
    Map<String, String> props = item.get().properties();
    return new ReadBack.Attested(
        id,
        Optional.ofNullable(props.get(GraphItem.EMAIL_SHA256_PROPERTY)),
        json,
        attachments,
        Optional.ofNullable(props.get(GraphItem.COUNT_PROPERTY)).map(Integer::valueOf),
        Optional.ofNullable(props.get(GraphItem.BODY_TEXT_PROPERTY)),
        BodyText.sha256(body.path("contentType").asText(), body.path("content").asText()));
  }

  @Override
  public List<ArchivedItem> list(Mailbox mailbox) throws DeliveryException {
    String user = user(mailbox);
    Optional<String> folder = folder(user, false).map(f -> f.id);
    if (folder.isEmpty()) {
      return List.of();
    }
    List<ArchivedItem> items = new ArrayList<>();
    for (Found f : api.messages(user, folder.get(), List.of(GraphItem.KEY_PROPERTY))) {
      String messageId =
          Optional.ofNullable(f.properties().get(GraphItem.KEY_PROPERTY))
              .orElse(f.properties().getOrDefault(GraphApi.INTERNET_MESSAGE_ID, ""));
      if (ArchiveReader.isArchiverMessageId(messageId)) {
        items.add(new ArchivedItem(messageId, f.id()));
      }
    }
    return List.copyOf(items);
  }

  /** Creates the item without attachments, then adds them; a failure removes the partial item. */
  private String writeInParts(String user, ArchiveFolder folder, GraphItem item)
      throws DeliveryException, IOException {
    String id = api.createMessage(user, folder.id, item.messageOnly());
    try {
      for (Attachment a : item.attachments()) {
        attach(user, id, a);
      }
      return id;
    } catch (DeliveryException | IOException | RuntimeException e) {
      deleteQuietly(user, folder, id);
      throw e;
    }
  }

  private void attach(String user, String messageId, Attachment a)
      throws DeliveryException, IOException {
    if (a.size() < GraphItem.POST_ATTACHMENT_MAX) {
      api.addAttachment(user, messageId, GraphApi.bytes(GraphItem.fileAttachment(a)));
      return;
    }
    URI upload = api.createUploadSession(user, messageId, a.name(), a.size(), a.contentType());
    boolean done = false;
    try (InputStream in = a.open()) {
      byte[] buffer = new byte[GraphItem.CHUNK_BYTES];
      long offset = 0;
      while (offset < a.size()) {
        int want = (int) Math.min(buffer.length, a.size() - offset);
        int n = in.readNBytes(buffer, 0, want);
        if (n != want) {
          throw new IOException("attachment " + a.name() + " is shorter than its measured size");
        }
        api.uploadChunk(
            user, upload, n == buffer.length ? buffer : Arrays.copyOf(buffer, n), offset, a.size());
        offset += n;
      }
      done = true;
    } finally {
      if (!done) {
        api.cancelUpload(user, upload);
      }
    }
  }

  /**
   * The complete item with this key, if any. Incomplete items (fewer attachments than recorded at
   * creation: a crash between create and attach) and extra copies are deleted.
   */
  private Optional<String> findComplete(String user, ArchiveFolder folder, MessageKey key)
      throws DeliveryException {
    List<Found> hits =
        api.findByProperty(
            user,
            folder.id,
            GraphItem.KEY_PROPERTY,
            key.messageId(),
            List.of(GraphItem.COUNT_PROPERTY));
    String keep = null;
    for (Found hit : hits) {
      if (keep == null && complete(user, hit)) {
        keep = hit.id();
      } else {
        log.warn(
            "Removing {} copy of {} from {}",
            keep == null ? "an incomplete" : "a duplicate",
            key.messageId(),
            user);
        delete(user, folder, hit.id());
      }
    }
    return Optional.ofNullable(keep);
  }

  private boolean complete(String user, Found hit) throws DeliveryException {
    String recorded = hit.properties().get(GraphItem.COUNT_PROPERTY);
    if (recorded == null) {
      return true; // not created by this version of the sink: nothing to compare with
    }
    int expected;
    try {
      expected = Integer.parseInt(recorded.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    return expected == 0 || api.attachments(user, hit.id()).size() == expected;
  }

  private void delete(String user, ArchiveFolder folder, String messageId)
      throws DeliveryException {
    synchronized (folder) {
      api.deleteMessage(user, messageId);
    }
  }

  private void deleteQuietly(String user, ArchiveFolder folder, String messageId) {
    try {
      delete(user, folder, messageId);
    } catch (DeliveryException | RuntimeException e) {
      log.warn(
          "Could not remove a partial item from {}; the next lookup removes it: {}",
          user,
          e.getMessage());
    }
  }

  private String user(Mailbox mailbox) throws DeliveryException {
    return users
        .userId(mailbox)
        .orElseThrow(
            () ->
                new DeliveryException(
                    "no Microsoft 365 user has the address "
                        + mailbox
                        + " (neither as user principal name nor as a proxy address)",
                    false));
  }

  /**
   * The archive folder under the Inbox: cached, else found by name, else created; when a concurrent
   * creator wins ({@code ErrorFolderExists}, 400 or 409) it is read again.
   */
  private Optional<ArchiveFolder> folder(String user, boolean create) throws DeliveryException {
    ArchiveFolder cached = folders.get(user);
    if (cached != null) {
      return Optional.of(cached);
    }
    for (int attempt = 1; attempt <= FOLDER_ATTEMPTS; attempt++) {
      Optional<GraphApi.Folder> found = api.findChildFolder(user, "inbox", settings.folderName());
      if (found.isPresent() || !create) {
        return found.map(f -> cache(user, f.id(), f.itemCount()));
      }
      try {
        String id = api.createChildFolder(user, "inbox", settings.folderName());
        return Optional.of(cache(user, id, 0));
      } catch (GraphCallException e) {
        if (!"ErrorFolderExists".equals(e.code()) && !e.ambiguous()) {
          throw e;
        }
        JdkGraphHttp.pause(Duration.ofMillis(100L * attempt));
      }
    }
    throw new DeliveryException(
        "folder '" + settings.folderName() + "' exists but cannot be found for " + user, true);
  }

  /** The first of concurrent finders wins, so a mailbox has one folder state (and lock) per run. */
  private ArchiveFolder cache(String user, String id, long itemCount) {
    return folders.computeIfAbsent(user, u -> new ArchiveFolder(u, id, itemCount));
  }

  @Override
  public void close() {
    http.close();
  }
}
