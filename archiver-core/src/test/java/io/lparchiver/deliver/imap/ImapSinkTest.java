package io.lparchiver.deliver.imap;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static io.lparchiver.deliver.TestEmails.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.deliver.ArchiveReaderContract;
import io.lparchiver.deliver.DeliveryException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.MailboxSinkContract;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.TransportSecurity;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Receipt;
import io.lparchiver.testing.Dovecot;
import io.lparchiver.testing.TcpProxy;
import jakarta.mail.Flags;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IMAP target against a real Dovecot on loopback: the sink contract plus IMAP specifics. */
class ImapSinkTest implements MailboxSinkContract, ArchiveReaderContract {

  static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  static final String FOLDER_PATH = "INBOX." + FOLDER;
  static final String MASTER = "archiver";
  static final String MASTER_PASSWORD = "m4ster-Secret-9";
  static final Mailbox CAROL = new Mailbox("carol@brand.example"); // 20 KiB quota
  static final Mailbox DAVE = new Mailbox("dave@brand.example"); // archive folder read-only
  static final Mailbox ERIN = new Mailbox("erin@brand.example"); // APPENDLIMIT=100000
  static final String ARCHIVE_ACCOUNT = "archive@brand.example";
  static final String ARCHIVE_PASSWORD = "arch1ve-Secret";
  static final String CLIENT_ID = "lp-archiver-app";
  static final String CLIENT_SECRET = "cl1ent-Secret-42";

  @TempDir static Path dir;
  static Dovecot dovecot;
  static TokenEndpoint tokenEndpoint;

  ImapSink sink;
  final List<ImapSink> extraSinks = new ArrayList<>();

  @BeforeAll
  static void startDovecot() throws Exception {
    tokenEndpoint = new TokenEndpoint(CLIENT_ID, CLIENT_SECRET, ANN.address());
    dovecot =
        Dovecot.builder(dir)
            .oauth2(tokenEndpoint.url("/introspect"))
            .master(MASTER, MASTER_PASSWORD)
            .user(ANN.address(), "ann-pw")
            .user(BOB.address(), "bob-pw")
            .user(CAROL.address(), "carol-pw", "quota_rule=*:storage=20K")
            .user(DAVE.address(), "dave-pw")
            .acl("INBOX.LivePerson* user=" + DAVE.address() + " lr")
            .user(ERIN.address(), "erin-pw", "imap_capability=+APPENDLIMIT=100000")
            .user(ARCHIVE_ACCOUNT, ARCHIVE_PASSWORD)
            .start();
  }

  @AfterAll
  static void stopDovecot() {
    if (dovecot != null) {
      dovecot.close();
    }
    if (tokenEndpoint != null) {
      tokenEndpoint.close();
    }
  }

  @BeforeEach
  void freshMailboxes() throws Exception {
    dovecot.wipeMail();
    sink = open(settings(dovecot.port(), MASTER_PASSWORD));
  }

  @AfterEach
  void closeSinks() {
    sink.close();
    extraSinks.forEach(ImapSink::close);
  }

  static ImapSettings settings(int port, String password) {
    return settings(port, password, Duration.ofSeconds(10));
  }

  static ImapSettings settings(int port, String password, int connectionsPerMailbox) {
    ImapSettings s = settings(port, password);
    return new ImapSettings(
        s.host(),
        s.port(),
        s.security(),
        s.mode(),
        s.username(),
        s.password(),
        s.loginTemplate(),
        s.folder(),
        connectionsPerMailbox,
        s.maxIdleConnections(),
        s.timeout(),
        s.oauth2());
  }

  static ImapSettings settings(int port, String password, Duration timeout) {
    return new ImapSettings(
        "127.0.0.1",
        port,
        TransportSecurity.NONE,
        ImapSettings.Mode.PER_MAILBOX,
        MASTER,
        password,
        "{mailbox}*{username}",
        FOLDER,
        4,
        8,
        timeout,
        Optional.empty());
  }

  ImapSink open(ImapSettings settings) {
    ImapSink s = new ImapSink(settings, Clock.systemUTC());
    extraSinks.add(s);
    return s;
  }

  @Override
  public MailboxSink sink() {
    return sink;
  }

  @Override
  public Optional<MailboxSink> anotherWriter() {
    return Optional.of(open(settings(dovecot.port(), MASTER_PASSWORD)));
  }

  @Override
  public List<byte[]> storedMessages(Mailbox mailbox) throws Exception {
    return fetched(mailbox).stream().map(Dovecot.Fetched::mime).toList();
  }

  static List<Dovecot.Fetched> fetched(Mailbox mailbox) throws Exception {
    return dovecot.fetchAll(mailbox.address() + "*" + MASTER, MASTER_PASSWORD, FOLDER_PATH);
  }

  @Test
  void copyIsSeenDatedAtTheConversationStartAndTheFolderSubscribed() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "hello");
    sink.ensureFolder(ANN);

    Receipt receipt = sink.deliver(ANN, email);

    List<Dovecot.Fetched> stored = fetched(ANN);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).flags().contains(Flags.Flag.SEEN)).isTrue();
    assertThat(stored.get(0).internalDate().toInstant())
        .isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    assertThat(receipt.targetItemId()).matches("\\d+:1");
    assertThat(sink.find(ANN, email.key()).map(Receipt::targetItemId))
        .contains(receipt.targetItemId());
    assertThat(dovecot.subscribed(ANN.address() + "*" + MASTER, MASTER_PASSWORD))
        .contains(FOLDER_PATH);
  }

  @Test
  void sameFolderAsTheMaildirTargetWrites() throws Exception {
    sink.deliver(ANN, email(key("conv-1", 1), "hello"));

    assertThat(dovecot.mailRoot().resolve(ANN.address()).resolve("." + FOLDER_PATH).resolve("cur"))
        .isDirectory();
  }

  @Test
  void aCrashBeforeTheLedgerRowIsHealedByFindWithoutAppendingAgain() throws Exception {
    List<ArchiveEmail> emails = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      emails.add(email(key("conv-" + i, 1), "conversation " + i));
    }
    List<Mailbox> mailboxes = List.of(ANN, BOB);
    Map<String, Receipt> ledger = new HashMap<>();
    // run 1 delivers four conversations, but "crashes" before the ledger rows of the fourth
    for (int i = 0; i < 4; i++) {
      for (Mailbox m : mailboxes) {
        Receipt r = sink.deliver(m, emails.get(i));
        if (i < 3) {
          ledger.put(m + emails.get(i).key().messageId(), r);
        }
      }
    }
    sink.close();

    // run 2: a new sink, the pipeline's rule: find before deliver when the ledger lacks the row
    ImapSink restarted = open(settings(dovecot.port(), MASTER_PASSWORD));
    int found = 0;
    for (ArchiveEmail email : emails) {
      for (Mailbox m : mailboxes) {
        if (ledger.containsKey(m + email.key().messageId())) {
          continue;
        }
        Optional<Receipt> existing = restarted.find(m, email.key());
        found += existing.isPresent() ? 1 : 0;
        ledger.put(
            m + email.key().messageId(),
            existing.isPresent() ? existing.get() : restarted.deliver(m, email));
      }
    }

    assertThat(found).isEqualTo(2);
    for (Mailbox m : mailboxes) {
      assertThat(storedMessages(m).stream().map(TestEmails::sha256))
          .containsExactlyInAnyOrderElementsOf(emails.stream().map(e -> sha256(e.mime())).toList());
    }
  }

  @Test
  void connectionCutMidUploadStoresNothingAndTheRetryLandsOnce() throws Exception {
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", dovecot.port())) {
      ImapSink viaProxy = open(settings(proxy.port(), MASTER_PASSWORD));
      ArchiveEmail email = TestEmails.sized(key("conv-cut", 1), 300_000);
      viaProxy.ensureFolder(ANN);

      proxy.cutMidRequest(email.size() / 2);
      assertThatThrownBy(() -> viaProxy.deliver(ANN, email))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue())
          .hasMessageContaining("lost");
      assertThat(proxy.tripped()).isTrue();

      assertThat(retryLikeThePipeline(viaProxy, ANN, email).alreadyPresent()).isFalse();
      assertThat(storedMessages(ANN)).hasSize(1);
    }
  }

  @Test
  void connectionCutAfterUploadBeforeTheAnswerLeavesNoDuplicate() throws Exception {
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", dovecot.port())) {
      ImapSink viaProxy = open(settings(proxy.port(), MASTER_PASSWORD));
      ArchiveEmail email = TestEmails.sized(key("conv-cut", 1), 300_000);
      viaProxy.ensureFolder(ANN);

      proxy.dropResponseAfter(email.size(), Duration.ofMillis(500));
      assertThatThrownBy(() -> viaProxy.deliver(ANN, email))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue());
      assertThat(proxy.tripped()).isTrue();

      Receipt retried = retryLikeThePipeline(viaProxy, ANN, email);
      assertThat(retried.alreadyPresent()).as("found, not appended again").isTrue();
      assertThat(hashesOf(storedMessages(ANN))).containsExactly(sha256(email.mime()));
    }
  }

  @Test
  void aServerThatStopsAnsweringTimesOutAndTheRetryFindsTheCopyInsteadOfAppendingAgain()
      throws Exception {
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", dovecot.port())) {
      ImapSink viaProxy = open(settings(proxy.port(), MASTER_PASSWORD, Duration.ofMillis(700)));
      ArchiveEmail email = TestEmails.sized(key("conv-frozen", 1), 50_000);
      viaProxy.ensureFolder(ANN);

      // the server gets the whole APPEND, then its answers stop far past the socket timeout
      proxy.dropResponseAfter(email.size(), Duration.ofSeconds(60));
      assertThatThrownBy(() -> viaProxy.deliver(ANN, email))
          .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue());
      assertThat(proxy.tripped()).isTrue();

      Receipt retried = retryLikeThePipeline(viaProxy, ANN, email);
      assertThat(retried.alreadyPresent()).as("found, not appended again").isTrue();
      assertThat(hashesOf(storedMessages(ANN))).containsExactly(sha256(email.mime()));
    }
  }

  @Test
  void idleConnectionsCutByTheNetworkAreReplacedTransparently() throws Exception {
    try (TcpProxy proxy = new TcpProxy("127.0.0.1", dovecot.port())) {
      ImapSink viaProxy = open(settings(proxy.port(), MASTER_PASSWORD));
      ArchiveEmail email = email(key("conv-1", 1), "hello");
      viaProxy.deliver(ANN, email);

      proxy.cutAll();

      assertThat(viaProxy.find(ANN, email.key())).isPresent();
      viaProxy.ensureFolder(ANN);
    }
  }

  private static Receipt retryLikeThePipeline(MailboxSink s, Mailbox m, ArchiveEmail email)
      throws DeliveryException {
    Optional<Receipt> found = s.find(m, email.key());
    return found.isPresent() ? found.get() : s.deliver(m, email);
  }

  private static List<String> hashesOf(List<byte[]> messages) {
    return messages.stream().map(TestEmails::sha256).toList();
  }

  @Test
  void wrongPasswordNamesTheSettingsAndNeverTheSecret() {
    String wrong = "Wr0ng-Pa55word-xyz";
    ImapSink bad = open(settings(dovecot.port(), wrong));

    assertThatThrownBy(() -> bad.ensureFolder(ANN))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("target.imap.username")
        .hasMessageContaining("target.imap.password")
        .hasMessageContaining(ANN.address() + "*archiver")
        .hasMessageNotContaining(wrong)
        .hasMessageNotContaining(MASTER_PASSWORD);
    assertThat(settings(dovecot.port(), wrong).toString()).doesNotContain(wrong).contains("****");
  }

  @Test
  void missingInsertRightIsPermanentAndSaysWhichRightsToGrant() throws Exception {
    sink.ensureFolder(DAVE);

    assertThatThrownBy(() -> sink.deliver(DAVE, email(key("conv-1", 1), "x")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("NOPERM")
        .hasMessageContaining("grant it lookup, read, insert and create rights");
  }

  @Test
  void fullQuotaIsRetriableAndSaysToFreeSpace() throws Exception {
    sink.ensureFolder(CAROL);

    assertThatThrownBy(() -> sink.deliver(CAROL, TestEmails.sized(key("conv-1", 1), 30_000)))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("OVERQUOTA")
        .hasMessageContaining("raise the mailbox quota");
    assertThat(storedMessages(CAROL)).isEmpty();
  }

  @Test
  void itemsAboveTheAdvertisedAppendLimitAreRefusedBeforeUpload() throws Exception {
    sink.ensureFolder(ERIN);

    assertThatThrownBy(() -> sink.deliver(ERIN, TestEmails.sized(key("conv-1", 1), 100_001)))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("exceeds the server limit")
        .hasMessageContaining("APPENDLIMIT 100000");
    sink.deliver(ERIN, TestEmails.sized(key("conv-2", 1), 100_000));
    assertThat(storedMessages(ERIN)).hasSize(1);
  }

  @Test
  void copiesForOneMailboxAtOnceShareAppendsAndEachReceiptNamesItsOwnCopy() throws Exception {
    ImapSink oneConnection = open(settings(dovecot.port(), MASTER_PASSWORD, 1));
    oneConnection.ensureFolder(ANN);
    List<ArchiveEmail> emails = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      emails.add(email(key("conv-" + i, 1), "conversation " + i));
    }

    Map<ArchiveEmail, Object> receipts = deliverAtOnce(oneConnection, ANN, emails);

    assertThat(oneConnection.multiAppends()).as("copies that waited went together").isPositive();
    assertThat(oneConnection.receiptsBySearch()).as("APPENDUID named every copy").isZero();
    assertThat(fetched(ANN))
        .hasSize(emails.size())
        .allSatisfy(
            stored -> {
              assertThat(stored.flags().contains(Flags.Flag.SEEN)).isTrue();
              assertThat(stored.internalDate().toInstant())
                  .isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
            });
    assertThat(receipts.values())
        .allSatisfy(r -> assertThat(r).isInstanceOf(Receipt.class))
        .extracting(r -> ((Receipt) r).targetItemId())
        .doesNotHaveDuplicates()
        .hasSize(24);
    ImapSink fresh = open(settings(dovecot.port(), MASTER_PASSWORD));
    for (ArchiveEmail email : emails) {
      // the UID of each receipt is the one the server gave that copy, found by its Message-ID
      assertThat(fresh.find(ANN, email.key()).map(Receipt::targetItemId))
          .as(email.key().messageId())
          .contains(((Receipt) receipts.get(email)).targetItemId());
    }
  }

  @Test
  void aBatchWithACopyOverTheAppendLimitSendsEachAloneAndFailsOnlyThatOne() throws Exception {
    ImapSink oneConnection = open(settings(dovecot.port(), MASTER_PASSWORD, 1));
    oneConnection.ensureFolder(ERIN);
    List<ArchiveEmail> emails = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      emails.add(TestEmails.sized(key("conv-" + i, 1), i == 3 ? 100_001 : 5_000));
    }

    Map<ArchiveEmail, Object> outcomes = deliverAtOnce(oneConnection, ERIN, emails);

    assertThat(outcomes.get(emails.get(3)))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse());
    assertThat(outcomes.values().stream().filter(Receipt.class::isInstance)).hasSize(7);
    assertThat(storedMessages(ERIN)).hasSize(7);
  }

  /**
   * Delivers every email to the mailbox from a thread of its own, all released at once: each
   * email's receipt, or the DeliveryException that refused it.
   */
  static Map<ArchiveEmail, Object> deliverAtOnce(
      ImapSink sink, Mailbox mailbox, List<ArchiveEmail> emails) throws Exception {
    Map<ArchiveEmail, Object> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService lanes = Executors.newFixedThreadPool(emails.size());
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (ArchiveEmail email : emails) {
      done.add(
          lanes.submit(
              () -> {
                start.await();
                try {
                  outcomes.put(email, sink.deliver(mailbox, email));
                } catch (DeliveryException e) {
                  outcomes.put(email, e);
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    lanes.shutdown();
    return outcomes;
  }

  @Test
  void sharedModeKeepsOneFolderPerMailboxInOneAccount() throws Exception {
    ImapSink shared =
        open(
            new ImapSettings(
                "127.0.0.1",
                dovecot.port(),
                TransportSecurity.NONE,
                ImapSettings.Mode.SHARED,
                ARCHIVE_ACCOUNT,
                ARCHIVE_PASSWORD,
                "{mailbox}",
                FOLDER,
                2,
                2,
                Duration.ofSeconds(10),
                Optional.empty()));
    ArchiveEmail email = email(key("conv-1", 1), "hello");
    shared.ensureFolder(ANN);
    shared.ensureFolder(BOB);

    shared.deliver(ANN, email);

    assertThat(shared.find(ANN, email.key())).isPresent();
    assertThat(shared.find(BOB, email.key())).isEmpty();
    List<Dovecot.Fetched> stored =
        dovecot.fetchAll(ARCHIVE_ACCOUNT, ARCHIVE_PASSWORD, FOLDER_PATH + ".ann,lee@brand,example");
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).mime()).isEqualTo(email.mime());
  }

  @Test
  void sharedFolderNamesCannotCollide() throws Exception {
    assertThat(ImapSink.sharedFolderName(new Mailbox("a.b@x.example"), '.'))
        .isEqualTo("a,b@x,example")
        .isNotEqualTo(ImapSink.sharedFolderName(new Mailbox("a_b@x.example"), '.'));
    assertThat(ImapSink.sharedFolderName(new Mailbox("a.b@x.example"), '/'))
        .isEqualTo("a.b@x.example");
  }

  @Test
  void anAddressThatCannotNameASharedFolderIsPermanent() {
    ImapSink shared =
        open(
            new ImapSettings(
                "127.0.0.1",
                dovecot.port(),
                TransportSecurity.NONE,
                ImapSettings.Mode.SHARED,
                ARCHIVE_ACCOUNT,
                ARCHIVE_PASSWORD,
                "{mailbox}",
                FOLDER,
                1,
                1,
                Duration.ofSeconds(10),
                Optional.empty()));

    assertThatThrownBy(() -> shared.ensureFolder(new Mailbox("100%off@brand.example")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("wildcard");
  }

  @Test
  void aFolderDeletedSinceItWasEnsuredIsCreatedAgainForTheCopy() throws Exception {
    sink.ensureFolder(BOB);
    sink.deliver(BOB, email(key("deleted-folder", 1), "first"));
    dovecot.deleteFolder(BOB.address() + "*" + MASTER, MASTER_PASSWORD, FOLDER_PATH);

    ArchiveEmail second = email(key("deleted-folder", 2), "second");
    Receipt receipt = sink.deliver(BOB, second);

    assertThat(fetched(BOB)).extracting(Dovecot.Fetched::mime).containsExactly(second.mime());
    assertThat(receipt.targetItemId()).matches("\\d+:1");
  }

  ImapSink xoauth2Sink(String clientSecret) {
    return open(
        new ImapSettings(
            "127.0.0.1",
            dovecot.port(),
            TransportSecurity.NONE,
            ImapSettings.Mode.PER_MAILBOX,
            "unused",
            "",
            "{mailbox}",
            FOLDER,
            2,
            2,
            Duration.ofSeconds(10),
            Optional.of(
                new ImapSettings.OAuth2(
                    URI.create(tokenEndpoint.url("/token")),
                    CLIENT_ID,
                    clientSecret,
                    Optional.of("https://outlook.office365.com/.default")))));
  }

  @Test
  void xoauth2LogsInWithAClientCredentialsTokenFetchedOnce() throws Exception {
    ImapSink oauth = xoauth2Sink(CLIENT_SECRET);
    int before = tokenEndpoint.tokensIssued();
    ArchiveEmail email = email(key("conv-1", 1), "hello over XOAUTH2");

    oauth.ensureFolder(ANN);
    oauth.deliver(ANN, email);

    assertThat(oauth.find(ANN, email.key())).isPresent();
    assertThat(hashesOf(storedMessages(ANN))).containsExactly(sha256(email.mime()));
    assertThat(tokenEndpoint.tokensIssued() - before).as("token cached").isEqualTo(1);
    assertThat(tokenEndpoint.lastScope()).isEqualTo("https://outlook.office365.com/.default");
  }

  @Test
  void refusedClientCredentialsArePermanentNameTheKeysAndNeverTheSecret() {
    String wrong = "Wr0ng-client-secret";
    ImapSink oauth = xoauth2Sink(wrong);

    assertThatThrownBy(() -> oauth.ensureFolder(ANN))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("target.imap.oauth2.clientSecret")
        .hasMessageNotContaining(wrong);
    assertThat(
            new ImapSettings.OAuth2(
                    URI.create("https://t.example"), CLIENT_ID, wrong, Optional.empty())
                .toString())
        .doesNotContain(wrong);
  }
}
