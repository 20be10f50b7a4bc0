package io.lparchiver.deliver.graph;

import static io.lparchiver.deliver.TestEmails.email;
import static io.lparchiver.deliver.TestEmails.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.deliver.ArchiveReaderContract;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.MailboxSinkContract;
import io.lparchiver.deliver.ReadBack;
import io.lparchiver.model.ArchiveEmail;
import io.lparchiver.model.Mailbox;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.MailboxView;
import io.lparchiver.sim.graph.StoredMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MailboxSink contract against the Graph sink and the Graph simulator. */
class GraphSinkTest implements MailboxSinkContract, ArchiveReaderContract {

  @TempDir Path spool;
  private GraphSimulator sim;
  private GraphSink sink;
  private final List<GraphSink> others = new ArrayList<>();

  @BeforeEach
  void start() {
    sim = GraphFixtures.simulator(GraphFaults.none()).build().start();
    sink = GraphFixtures.sink(sim, spool);
  }

  @AfterEach
  void stop() {
    sink.close();
    others.forEach(GraphSink::close);
    sim.close();
  }

  @Override
  public MailboxSink sink() {
    return sink;
  }

  @Override
  public Optional<MailboxSink> anotherWriter() {
    GraphSink other = GraphFixtures.sink(sim, spool);
    others.add(other);
    return Optional.of(other);
  }

  /** Graph cannot give the bytes back: each item as the canonical document of what it keeps. */
  @Override
  public List<byte[]> storedMessages(Mailbox mailbox) {
    return folder(mailbox).stream().map(GraphFixtures::canonical).toList();
  }

  /** Graph keeps no bytes: the item must carry the email's hash; these test emails have no JSON. */
  @Override
  public void assertIntact(ArchiveEmail delivered, ReadBack back) {
    assertThat(back).isInstanceOf(ReadBack.Attested.class);
    ReadBack.Attested item = (ReadBack.Attested) back;
    assertThat(item.recordedEmailSha256()).contains(delivered.sha256());
    assertThat(item.conversationJsonSha256()).isEmpty();
    assertThat(item.itemId()).isNotBlank();
  }

  @Override
  public String fingerprint(byte[] message) throws Exception {
    return GraphFixtures.fingerprint(message);
  }

  private List<StoredMessage> folder(Mailbox mailbox) {
    return sim.mailbox(mailbox.address())
        .map(v -> v.messagesInInboxChild(GraphFixtures.FOLDER))
        .orElse(List.of());
  }

  /** Graph's equivalent of identical bytes: every part that matters, item by item. */
  @Override
  @Test
  public void deliveredBytesReadBackIdentical() throws Exception {
    ArchiveEmail email = email(key("conv-1", 1), "line one\nline two\n\n-- \nend");
    sink().ensureFolder(ANN);

    sink().deliver(ANN, email);

    List<StoredMessage> stored = folder(ANN);
    assertThat(stored).hasSize(1);
    StoredMessage m = stored.get(0);
    assertThat(m.subject()).isEqualTo("Messaging conversation conv-1");
    assertThat(m.bodyContentType()).isEqualTo("text");
    assertThat(m.bodyContent()).isEqualTo("line one\r\nline two\r\n\r\n-- \r\nend\r\n");
    assertThat(m.attachments()).isEmpty();
    assertThat(m.property(GraphItem.KEY_PROPERTY)).contains(email.key().messageId());
    assertThat(m.isDraft()).isFalse();
    assertThat(m.isRead()).isTrue();
    assertThat(m.receivedDateTime()).isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    assertThat(m.sentDateTime()).isEqualTo(Instant.parse("2026-03-02T10:15:00Z"));
    assertThat(m.json().path("from").path("emailAddress").path("address").asText())
        .isEqualTo("c1@12345678.liveperson.invalid");
    assertThat(m.json().path("toRecipients").get(0).path("emailAddress").path("address").asText())
        .isEqualTo("ann@brand.example");
    assertThat(fingerprint(GraphFixtures.canonical(m))).isEqualTo(fingerprint(email.mime()));
  }

  @Test
  void anAliasAddressReachesTheUsersMailbox() throws Exception {
    Mailbox alias = new Mailbox("ann@brand.example");
    ArchiveEmail email = email(key("conv-9", 1), "to the alias");

    sink.deliver(alias, email);

    assertThat(sink.users().exists(alias)).isTrue();
    assertThat(sink.users().exists(new Mailbox("nobody@brand.example"))).isFalse();
    MailboxView ann = sim.mailbox(ANN.address()).orElseThrow();
    assertThat(ann.messagesInInboxChild(GraphFixtures.FOLDER)).hasSize(1);
    assertThat(sink.find(ANN, email.key())).isPresent();
  }
}
