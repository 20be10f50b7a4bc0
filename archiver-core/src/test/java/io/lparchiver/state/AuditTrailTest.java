package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.state.DeliveryRecord.Outcome;
import io.lparchiver.testing.AuditForgery;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Day signatures over the audit chain and the configuration fingerprint, on a real SQLite file. */
class AuditTrailTest {

  private static final String KEY = "audit-trail-test-key-93c1";
  private static final Instant DAY1 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Mailbox ANN = new Mailbox("ann@brand.example");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(DAY1);
  private final AuditSigner signer = AuditSigner.hmacSha256(KEY);
  private StateStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private StateStore open(Optional<AuditSigner> s, Optional<String> config) {
    if (store != null) {
      store.close();
    }
    store = StateStore.open(dir, clock, new AuditOptions(s, config));
    return store;
  }

  /** One conversation delivered per day over three days; returns nothing, fills the chain. */
  private void threeDaysOfWork() {
    for (int day = 0; day < 3; day++) {
      String id = "c" + day;
      MessageKey key =
          store
              .recordVersion("12345678", Channel.MESSAGING, id, "fp" + day, "src" + day, DAY1)
              .version()
              .key();
      store.recordDelivery(
          new DeliveryRecord(
              key,
              ANN,
              "sha" + day,
              10,
              "maildir",
              "item" + day,
              Outcome.DELIVERED,
              clock.instant()));
      clock.advance(Duration.ofDays(1));
    }
  }

  @Test
  void eachDayIsSignedAndVerifiesWithTheKey() {
    open(Optional.of(signer), Optional.empty());
    threeDaysOfWork();

    assertThat(store.auditSignatures())
        .extracting(AuditSignature::day)
        .containsExactly("2026-03-01", "2026-03-02", "2026-03-03");
    assertThat(store.auditSignatures()).allSatisfy(s -> assertThat(s.seq()).isPositive());
    assertThat(store.verifyAuditSignatures(signer)).isEmpty();
  }

  @Test
  void aChainRewrittenWithFreshHashesPassesTheChainCheckButNotTheSignatures() throws Exception {
    open(Optional.of(signer), Optional.empty());
    threeDaysOfWork();
    store.close();
    store = null;

    rewriteChainFrom(2, "sha1", "sha-forged");

    open(Optional.empty(), Optional.empty()); // a writer without the key cannot re-sign
    assertThat(store.verifyAudit().intact()).as("hashes recomputed: chain looks fine").isTrue();
    assertThat(store.verifyAuditSignatures(signer))
        .anySatisfy(p -> assertThat(p).contains("2026-03-02").contains("chain was rewritten"));
  }

  @Test
  void aRemovedSignatureAndAnotherKeyAreNamed() throws Exception {
    open(Optional.of(signer), Optional.empty());
    threeDaysOfWork();
    store.close();
    store = null;
    sql("DELETE FROM audit_signatures WHERE day = '2026-03-01'");

    open(Optional.empty(), Optional.empty());
    assertThat(store.verifyAuditSignatures(signer))
        .singleElement()
        .asString()
        .contains("audit day 2026-03-01")
        .contains("has no signature");
    assertThat(store.verifyAuditSignatures(AuditSigner.hmacSha256("another key")))
        .hasSize(3)
        .filteredOn(p -> p.contains("signed by another key"))
        .hasSize(2);
  }

  @Test
  void aForgedSignatureIsNamed() throws Exception {
    open(Optional.of(signer), Optional.empty());
    threeDaysOfWork();
    store.close();
    store = null;
    sql(
        "UPDATE audit_signatures SET signature = replace(signature, substr(signature, 1, 1), 'x')"
            + " WHERE day = '2026-03-02'");

    open(Optional.empty(), Optional.empty());
    assertThat(store.verifyAuditSignatures(signer))
        .singleElement()
        .asString()
        .contains("2026-03-02")
        .contains("signature does not match");
  }

  @Test
  void daysFromBeforeTheKeyWasSetAreSignedWhenAWriterOpensWithIt() {
    open(Optional.empty(), Optional.empty());
    threeDaysOfWork();
    assertThat(store.auditSignatures()).isEmpty();
    assertThat(store.verifyAuditSignatures(signer)).hasSize(3);

    open(Optional.of(signer), Optional.empty());

    assertThat(store.auditSignatures()).hasSize(3);
    assertThat(store.verifyAuditSignatures(signer)).isEmpty();
  }

  @Test
  void theKeyNeverReachesTheStateFile() throws Exception {
    open(Optional.of(signer), Optional.of("cfg-a"));
    threeDaysOfWork();
    store.close();
    store = null;

    for (Path f : List.of(dir.resolve("lp-archiver.db"), dir.resolve("lp-archiver.db-wal"))) {
      if (Files.exists(f)) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))
            .doesNotContain(KEY);
      }
    }
    assertThat(signer.toString()).doesNotContain(KEY);
  }

  @Test
  void aConfigurationChangeBetweenRunsIsAnAuditEntry() throws Exception {
    open(Optional.empty(), Optional.of("cfg-a"));
    store.finishRun(store.startRun("sync"), new RunSummary(0, 0, 0, 0, 0, 0, 0));
    open(Optional.empty(), Optional.of("cfg-a"));
    store.finishRun(store.startRun("sync"), new RunSummary(0, 0, 0, 0, 0, 0, 0));
    open(Optional.empty(), Optional.of("cfg-b"));
    store.finishRun(store.startRun("sync"), new RunSummary(0, 0, 0, 0, 0, 0, 0));

    List<AuditEntry> entries = new ArrayList<>();
    store.exportAudit(entries::add);
    assertThat(entries)
        .extracting(AuditEntry::event)
        .containsExactly(
            "run_start",
            "run_finish",
            "run_start",
            "run_finish",
            "config_change",
            "run_start",
            "run_finish");
    assertThat(entries.get(0).detail()).contains("\"config\":\"cfg-a\"");
    assertThat(entries.get(4).detail()).isEqualTo("{\"config\":\"cfg-b\",\"previous\":\"cfg-a\"}");
    assertThat(store.verifyAudit().intact()).isTrue();
  }

  @Test
  void aLedgerRowEditedRemovedOrAddedBehindTheArchiversBackDisagreesWithTheAudit()
      throws Exception {
    open(Optional.empty(), Optional.empty());
    threeDaysOfWork();
    assertThat(store.ledgerDiscrepancies()).isEmpty();
    store.close();
    store = null;

    // made to match an altered copy; another row dropped; one slipped in without an audit entry
    sql(
        "UPDATE deliveries SET email_sha256 = 'sha-of-altered-copy' WHERE target_item_id = 'item0'");
    sql("DELETE FROM deliveries WHERE target_item_id = 'item1'");
    sql(
        "INSERT INTO deliveries (account, channel, conversation_id, version, mailbox, message_id,"
            + " email_sha256, bytes, target_type, target_item_id, outcome, delivered_at)"
            + " SELECT account, channel, conversation_id, version, 'eve@brand.example',"
            + " message_id, email_sha256, bytes, target_type, 'forged', outcome, delivered_at"
            + " FROM deliveries WHERE target_item_id = 'item2'");

    open(Optional.empty(), Optional.empty());
    assertThat(store.ledgerDiscrepancies())
        .extracting(LedgerDiscrepancy::messageId, LedgerDiscrepancy::mailbox)
        .containsExactlyInAnyOrder(
            tuple("<lp.12345678.c0.v1@lp-archiver>", ANN.address()),
            tuple("<lp.12345678.c2.v1@lp-archiver>", "eve@brand.example"),
            tuple("<lp.12345678.c1.v1@lp-archiver>", ANN.address()));
    assertThat(store.ledgerDiscrepancies())
        .filteredOn(d -> d.messageId().contains(".c1."))
        .singleElement()
        .extracting(LedgerDiscrepancy::description)
        .asString()
        .contains("ledger row is gone");
  }

  /** A fresh Ed25519 key as the PKCS#8 PEM that `openssl genpkey -algorithm ed25519` writes. */
  private static String ed25519Pem() throws Exception {
    byte[] der =
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }

  @Test
  void ed25519SignsEachDayAndThePublicKeyAloneChecksThem() throws Exception {
    String pem = ed25519Pem();
    AuditSigner ed = AuditSigner.of(pem);
    assertThat(ed.algorithm()).isEqualTo("Ed25519");
    AuditPublicKey publicKey = AuditPublicKey.fromPem(ed.publicKey().orElseThrow().pem(), "test");
    assertThat(publicKey.keyId()).isEqualTo(ed.keyId());
    open(Optional.of(ed), Optional.empty());
    threeDaysOfWork();

    assertThat(store.auditSignatures())
        .extracting(AuditSignature::algorithm, AuditSignature::keyId)
        .containsOnly(tuple("Ed25519", ed.keyId()));
    assertThat(store.verifyAuditSignatures(publicKey)).isEmpty();
    assertThat(store.verifyAuditSignatures(ed)).isEmpty();
    assertThat(store.verifyAuditSignatures(AuditSigner.of(ed25519Pem()).publicKey().orElseThrow()))
        .hasSize(3)
        .allSatisfy(p -> assertThat(p).contains("signed by another key"));
    assertThat(ed.toString()).doesNotContain(pem.substring(28, 60));
  }

  @Test
  void withEd25519ARewrittenDayAndAForgedSignatureAreEachNamedByThePublicKey() throws Exception {
    AuditSigner ed = AuditSigner.of(ed25519Pem());
    AuditPublicKey publicKey = ed.publicKey().orElseThrow();
    open(Optional.of(ed), Optional.empty());
    threeDaysOfWork();
    store.close();
    store = null;

    rewriteChainFrom(2, "sha1", "sha-forged"); // day 2's delivery entry: sha1 -> sha-forged
    sql(
        "UPDATE audit_signatures SET signature = '00' || substr(signature, 3)"
            + " WHERE day = '2026-03-03'");

    open(Optional.empty(), Optional.empty());
    assertThat(store.verifyAudit().intact()).as("hashes recomputed: chain looks fine").isTrue();
    assertThat(store.verifyAuditSignatures(publicKey))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("2026-03-02").contains("chain was rewritten"))
        .anySatisfy(p -> assertThat(p).contains("2026-03-03").contains("signature does not match"));
  }

  @Test
  void daysSignedWithHmacStayVerifiableAndSwitchingToEd25519ResignsThem() throws Exception {
    open(Optional.of(signer), Optional.empty());
    threeDaysOfWork();
    open(Optional.empty(), Optional.empty());
    assertThat(store.verifyAuditSignatures(AuditSigner.of(KEY))).isEmpty();

    AuditSigner ed = AuditSigner.of(ed25519Pem());
    open(Optional.of(ed), Optional.empty());

    assertThat(store.auditSignatures())
        .extracting(AuditSignature::algorithm)
        .containsOnly("Ed25519");
    assertThat(store.verifyAuditSignatures(ed.publicKey().orElseThrow())).isEmpty();
    assertThat(store.verifyAuditSignatures(signer))
        .hasSize(3)
        .allSatisfy(p -> assertThat(p).contains("signed by another key (Ed25519"));
  }

  @Test
  void anExportIsCheckedWithThePublicKeyAloneAndEachTamperingIsNamed() throws Exception {
    AuditSigner ed = AuditSigner.of(ed25519Pem());
    open(Optional.of(ed), Optional.empty());
    threeDaysOfWork();
    Path export = dir.resolve("audit.jsonl");
    try (Writer out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
      AuditExport.Written w = AuditExport.write(store, ed.publicKey(), out);
      assertThat(w.signatures()).isEqualTo(3);
    }
    List<String> lines = Files.readAllLines(export, StandardCharsets.UTF_8);
    assertThat(lines.get(lines.size() - 1))
        .contains("\"type\":\"key\"")
        .contains(ed.keyId())
        .contains("BEGIN PUBLIC KEY");
    AuditPublicKey publicKey = ed.publicKey().orElseThrow();

    AuditExport.Result intact = AuditExport.check(export, publicKey);
    assertThat(intact.problems()).isEmpty();
    assertThat(intact.entries())
        .isEqualTo(lines.stream().filter(l -> l.contains("\"entry\"")).count());

    List<String> edited = new ArrayList<>(lines);
    int delivery = indexOf(edited, "sha1");
    edited.set(delivery, edited.get(delivery).replace("sha1", "sha-forged"));
    int signature = indexOf(edited, "\"day\":\"2026-03-03\"");
    edited.set(signature, AuditForgery.withSignatureChanged(edited.get(signature)));
    Files.write(export, edited, StandardCharsets.UTF_8);

    AuditExport.Result tampered = AuditExport.check(export, publicKey);
    assertThat(tampered.intact()).isFalse();
    assertThat(tampered.problems())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("seq " + (delivery + 1)).contains("was changed"))
        .anySatisfy(p -> assertThat(p).contains("2026-03-03").contains("signature does not match"));
  }

  @Test
  void aPemThatIsNotAnEd25519KeyIsRefusedWithHowToMakeOneAndWithoutTheKey() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    String body =
        Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded());
    String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----";

    assertThatThrownBy(() -> AuditSigner.of(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("audit.signingKey")
        .hasMessageContaining("openssl genpkey -algorithm ed25519")
        .hasMessageNotContaining(body.substring(0, 40));
    assertThatThrownBy(() -> AuditSigner.of("-----BEGIN PRIVATE KEY----- no end"))
        .hasMessageContaining("audit.signingKey is not a PKCS#8 Ed25519 private key");
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line contains " + text);
  }

  /** Changes a detail and recomputes every later hash, as a forger with the file could. */
  private void rewriteChainFrom(long seq, String from, String to) throws SQLException {
    try (Connection c =
        DriverManager.getConnection(StateDatabase.url(dir.resolve("lp-archiver.db")))) {
      try (Statement st = c.createStatement()) {
        st.execute("DROP TRIGGER audit_no_update");
      }
      String prev;
      try (PreparedStatement st = c.prepareStatement("SELECT hash FROM audit WHERE seq = ?")) {
        st.setLong(1, seq - 1);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          prev = rs.getString(1);
        }
      }
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement st =
          c.prepareStatement(
              "SELECT seq, at, event, subject, detail FROM audit WHERE seq >= ? ORDER BY seq")) {
        st.setLong(1, seq);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            rows.add(
                new Object[] {
                  rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)
                });
          }
        }
      }
      for (Object[] r : rows) {
        String detail = ((String) r[4]).replace(from, to);
        String hash =
            AuditLog.hash(prev, (Long) r[0], (String) r[1], (String) r[2], (String) r[3], detail);
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE audit SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
          st.setString(1, detail);
          st.setString(2, prev);
          st.setString(3, hash);
          st.setLong(4, (Long) r[0]);
          st.executeUpdate();
        }
        prev = hash;
      }
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(StateDatabase.url(dir.resolve("lp-archiver.db")));
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }
}
