package io.lparchiver.deliver.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.lparchiver.deliver.ArchiveReader;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.deliver.Sha256;
import io.lparchiver.deliver.graph.GraphApi.Found;
import io.lparchiver.deliver.graph.GraphItem.Attachment;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
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
  private final Map<String, String> folderIds = new ConcurrentHashMap<>();

  GraphSink(GraphSettings settings, GraphHttp http, Path spoolDir) {
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
  public void ensureFolder(Mailbox mailbox) throws DeliveryException {
    folderId(user(mailbox), true);
  }

  @Override
  public Optional<Receipt> find(Mailbox mailbox, MessageKey key) throws DeliveryException {
    String user = user(mailbox);
    Optional<String> folder = folderId(user, false);
    if (folder.isEmpty()) {
      return Optional.empty();
    }
    return findComplete(user, folder.get(), key).map(id -> new Receipt(mailbox, key, id, true));
  }

  /** Graph takes any number of attachments up to target.graph.maxAttachmentSize each. */
  @Override
  public SizeLimit sizeLimit(Mailbox mailbox) {
    return SizeLimit.attachment(settings.maxAttachmentBytes());
  }

  @Override
  public Receipt deliver(Mailbox mailbox, ArchiveEmail email) throws DeliveryException {
    String user = user(mailbox);
    String folder = folderId(user, true).orElseThrow();
    try (ParsedEmail parsed = ParsedEmail.parse(email, spoolDir)) {
      GraphItem item =
          GraphItem.of(email.key(), email.sha256(), parsed, settings.maxAttachmentBytes());
      DeliveryException last = null;
      for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
        try {
          return new Receipt(mailbox, email.key(), write(user, folder, item), false);
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
    } catch (IOException e) {
      throw new DeliveryException(
          "cannot read " + email.key().messageId() + ": " + e.getMessage(), true, e);
    }
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
    Optional<String> folder = folderId(user, false);
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
    Optional<String> folder = folderId(user, false);
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

  /** Creates the item; on the create-then-attach path a failure removes the partial item. */
  private String write(String user, String folder, GraphItem item)
      throws DeliveryException, IOException {
    Optional<byte[]> inline = item.inlineRequest();
    if (inline.isPresent()) {
      return api.createMessage(user, folder, inline.get());
    }
    String id = api.createMessage(user, folder, item.messageOnly());
    try {
      for (Attachment a : item.attachments()) {
        attach(user, id, a);
      }
      return id;
    } catch (DeliveryException | IOException | RuntimeException e) {
      deleteQuietly(user, id);
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
  private Optional<String> findComplete(String user, String folder, MessageKey key)
      throws DeliveryException {
    List<Found> hits =
        api.findByProperty(
            user,
            folder,
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
        api.deleteMessage(user, hit.id());
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

  private void deleteQuietly(String user, String messageId) {
    try {
      api.deleteMessage(user, messageId);
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
  private Optional<String> folderId(String user, boolean create) throws DeliveryException {
    String cached = folderIds.get(user);
    if (cached != null) {
      return Optional.of(cached);
    }
    for (int attempt = 1; attempt <= FOLDER_ATTEMPTS; attempt++) {
      Optional<String> found = api.findChildFolder(user, "inbox", settings.folderName());
      if (found.isPresent() || !create) {
        found.ifPresent(id -> folderIds.put(user, id));
        return found;
      }
      try {
        String id = api.createChildFolder(user, "inbox", settings.folderName());
        folderIds.put(user, id);
        return Optional.of(id);
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

  @Override
  public void close() {
    http.close();
  }
}
