package io.lparchiver.pipeline.verify;

import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lparchiver.deliver.TestEmails;
import io.lparchiver.deliver.graph.GraphCredential;
import io.lparchiver.deliver.graph.GraphSettings;
import io.lparchiver.deliver.graph.GraphSink;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Receipt;
import io.lparchiver.model.SharedFile;
import io.lparchiver.pipeline.verify.Finding.Kind;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.graph.StoredMessage;
import io.lparchiver.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} against the Graph simulator: the item exists, carries the ledger's email SHA-256
 * and an unchanged {@code conversation.json}.
 */
class GraphArchiveVerifyTest {

  private static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  private static final String SECRET = "graph-verify-client-secret-51";
  private static final Mailbox ANN = new Mailbox("ann@brand.example");
  private static final Mailbox BOB = new Mailbox("bob@brand.example");

  @TempDir Path stateDir;
  @TempDir Path spool;
  private GraphSimulator sim;
  private GraphSink sink;
  private StateStore state;
  private final List<ArchiveEmail> emails = new ArrayList<>();
  private final Map<String, String> annItems = new HashMap<>();

  @BeforeEach
  void deliverAndRecord() {
    sim =
        GraphSimulator.builder()
            .client("app-verify", SECRET)
            .user(GraphUser.of(ANN.address()))
            .user(GraphUser.of(BOB.address()))
            .pageSize(2)
            .build()
            .start();
    sink =
        GraphSink.create(
            GraphSettings.of(
                sim.tenantId(),
                sim.clientId(),
                new GraphCredential.ClientSecret(SECRET),
                sim.authority(),
                sim.baseUrl(),
                FOLDER),
            Clock.systemUTC(),
            spool);
    state = StateStore.open(stateDir, Clock.systemUTC());
    for (int i = 0; i < 3; i++) {
      String json = "{\"conversationId\":\"graph-" + i + "\",\"text\":\"Grüße " + i + "\"}";
      ArchiveEmail e = email(key("graph-" + i, 1), json);
      emails.add(e);
      for (Mailbox m : List.of(ANN, BOB)) {
        Receipt r = deliver(m, e);
        if (m.equals(ANN)) {
          annItems.put(e.key().messageId(), r.targetItemId());
        }
        VerifyLedger.record(
            state, e, r, "graph", TestEmails.sha256(json.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  private Receipt deliver(Mailbox m, ArchiveEmail e) {
    try {
      sink.ensureFolder(m);
      return sink.deliver(m, e);
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  @AfterEach
  void close() {
    sink.close();
    state.close();
    sim.close();
  }

  @Test
  void aCleanArchiveIsIntactAndEachItemCarriesTheEmailHash() {
    VerifyLedger.Result r = VerifyLedger.verify(new ArchiveVerifier(state, sink, Optional.empty()));

    assertThat(r.findings()).isEmpty();
    assertThat(r.report().intact()).isEqualTo(6);
    assertThat(r.report().exitCode()).isEqualTo(VerifyReport.INTACT);
    List<StoredMessage> stored =
        sim.mailbox(ANN.address()).orElseThrow().messagesInInboxChild(FOLDER);
    assertThat(stored)
        .extracting(
            m ->
                m.property(
                        "String {6B1D4C3E-8A2F-4F51-9C7E-2D0A5E9B7F13} Name LpArchiverEmailSha256")
                    .orElse(""))
        .containsExactlyInAnyOrderElementsOf(emails.stream().map(ArchiveEmail::sha256).toList());
  }

  @Test
  void namesTheDeletedItemTheAlteredConversationJsonAndTheStrayItem() throws Exception {
    MessageKey deleted = emails.get(0).key();
    MessageKey altered = emails.get(1).key();
    assertThat(sim.deleteMessage(ANN.address(), annItems.get(deleted.messageId()))).isTrue();
    assertThat(
            sim.alterAttachment(
                ANN.address(), annItems.get(altered.messageId()), "conversation.json"))
        .isTrue();
    ArchiveEmail stray = email(key("graph-stray", 1), "{\"stray\":true}");
    deliver(ANN, stray);

    VerifyLedger.Result r = VerifyLedger.verify(new ArchiveVerifier(state, sink, Optional.empty()));

    assertThat(r.findings())
        .extracting(Finding::kind, Finding::mailbox, Finding::messageId)
        .containsExactlyInAnyOrder(
            tuple(Kind.MISSING, ANN.address(), deleted.messageId()),
            tuple(Kind.ALTERED, ANN.address(), altered.messageId()),
            tuple(Kind.UNEXPECTED, ANN.address(), stray.key().messageId()));
    assertThat(r.findings())
        .filteredOn(f -> f.kind() == Kind.ALTERED)
        .singleElement()
        .extracting(Finding::detail)
        .asString()
        .contains("conversation.json has SHA-256");
    assertThat(r.report().intact()).isEqualTo(4);
    assertThat(r.report().exitCode()).isEqualTo(VerifyReport.NOT_INTACT);
  }

  @Test
  void namesAnAlteredFileAttachmentAndAnEditedBodyButNotExchangesRenditionOfTheHtml()
      throws Exception {
    byte[] photo = new byte[2048];
    new java.util.Random(7).nextBytes(photo);
    String json = "{\"conversationId\":\"graph-files\"}";
    ArchiveEmail e = emailWithFile(key("graph-files", 1), json, photo);
    Map<Mailbox, Receipt> receipts = new HashMap<>();
    for (Mailbox m : List.of(ANN, BOB)) {
      receipts.put(m, deliver(m, e));
      VerifyLedger.record(
          state,
          e,
          receipts.get(m),
          "graph",
          TestEmails.sha256(json.getBytes(StandardCharsets.UTF_8)));
    }
    state.recordSharedFiles(
        e.key(),
        List.of(
            new SharedFile.Downloaded(
                "accounts/12345678/photo.png",
                "photo.png",
                "image/png",
                photo,
                TestEmails.sha256(photo))));

    // Graph hands the HTML body back in Exchange's rendition (head, meta, CRLF): still intact.
    VerifyLedger.Result clean =
        VerifyLedger.verify(new ArchiveVerifier(state, sink, Optional.empty()));
    assertThat(clean.findings()).isEmpty();
    assertThat(clean.report().intact()).isEqualTo(8);

    String annItem = receipts.get(ANN).targetItemId();
    String bobItem = receipts.get(BOB).targetItemId();
    assertThat(sim.alterAttachment(ANN.address(), annItem, "photo.png")).isTrue();
    assertThat(
            sim.alterBody(
                BOB.address(), bobItem, "<html><body><p>10:15 Ann: goodbye</p></body></html>"))
        .isTrue();

    VerifyLedger.Result r = VerifyLedger.verify(new ArchiveVerifier(state, sink, Optional.empty()));

    assertThat(r.findings())
        .extracting(Finding::kind, Finding::mailbox, Finding::itemId)
        .containsExactlyInAnyOrder(
            tuple(Kind.ALTERED, ANN.address(), annItem),
            tuple(Kind.ALTERED, BOB.address(), bobItem));
    assertThat(r.findings())
        .filteredOn(f -> f.mailbox().equals(ANN.address()))
        .singleElement()
        .extracting(Finding::detail)
        .asString()
        .contains("attachment \"photo.png\" has 2048 bytes, SHA-256 ")
        .contains("sent: 2048 bytes, SHA-256 " + TestEmails.sha256(photo))
        .doesNotContain("body");
    assertThat(r.findings())
        .filteredOn(f -> f.mailbox().equals(BOB.address()))
        .singleElement()
        .extracting(Finding::detail)
        .asString()
        .contains("the body's visible text differs from what was sent")
        .doesNotContain("photo.png");
    assertThat(r.report().intact()).isEqualTo(6);
  }

  /** An email with a text and HTML transcript, one hosted file and conversation.json. */
  private static ArchiveEmail emailWithFile(MessageKey key, String json, byte[] file) {
    String mime =
        "Message-ID: "
            + key.messageId()
            + "\r\nDate: Mon, 2 Mar 2026 10:15:00 +0000"
            + "\r\nFrom: Consumer <c1@12345678.liveperson.invalid>"
            + "\r\nTo: Ann <ann@brand.example>"
            + "\r\nSubject: Messaging conversation "
            + key.conversationId()
            + "\r\nMIME-Version: 1.0"
            + "\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
            + "--b2\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n10:15 Ann: hello &amp; welcome\r\n"
            + "--b2\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n"
            + "<html><head><title>t</title><style>p{}</style></head><body>\n<p>10:15 Ann:"
            + " hello &amp; <b>welcome</b></p>\n</body></html>\r\n"
            + "--b2--\r\n"
            + "--b1\r\nContent-Type: image/png; name=\"photo.png\"\r\n"
            + "Content-Disposition: attachment; filename=\"photo.png\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(file)
            + "\r\n--b1\r\nContent-Type: application/json; name=\"conversation.json\"\r\n"
            + "Content-Disposition: attachment; filename=\"conversation.json\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
            + "\r\n--b1--\r\n";
    return TestEmails.email(key, mime.getBytes(StandardCharsets.UTF_8));
  }

  /** A small archive email with a transcript and the raw record attached as conversation.json. */
  private static ArchiveEmail email(MessageKey key, String json) {
    String mime =
        "Message-ID: "
            + key.messageId()
            + "\r\nDate: Mon, 2 Mar 2026 10:15:00 +0000"
            + "\r\nFrom: Consumer <c1@12345678.liveperson.invalid>"
            + "\r\nTo: Ann <ann@brand.example>"
            + "\r\nSubject: Messaging conversation "
            + key.conversationId()
            + "\r\nMIME-Version: 1.0"
            + "\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n10:15 Ann: hello\r\n"
            + "--b1\r\nContent-Type: application/json; name=\"conversation.json\"\r\n"
            + "Content-Disposition: attachment; filename=\"conversation.json\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n"
            + Base64.getMimeEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))
            + "\r\n--b1--\r\n";
    return TestEmails.email(key, mime.getBytes(StandardCharsets.UTF_8));
  }
}
