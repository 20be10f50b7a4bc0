package io.lparchiver.deliver.graph;

import io.lparchiver.deliver.MailboxSinkContract;
import io.lparchiver.deliver.TestEmails;
import io.lparchiver.sim.graph.GraphFaults;
import io.lparchiver.sim.graph.GraphSimulator;
import io.lparchiver.sim.graph.GraphUser;
import io.lparchiver.sim.graph.StoredAttachment;
import io.lparchiver.sim.graph.StoredMessage;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/** The simulator and sink set up for tests, and the Graph-side reading of stored items. */
final class GraphFixtures {

  static final String FOLDER = "LivePerson Conversational Cloud DataParser";
  static final String SECRET = "s3cr3t-value-that-must-never-be-logged";
  private static final String CANONICAL = "lp-archiver-canonical\n";

  private GraphFixtures() {}

  static GraphSimulator.Builder simulator(GraphFaults faults) {
    return GraphSimulator.builder()
        .client("app-123", SECRET)
        .user(GraphUser.of(MailboxSinkContract.ANN.address(), "ann@brand.example"))
        .user(GraphUser.of(MailboxSinkContract.BOB.address()))
        .pageSize(3)
        .faults(faults);
  }

  static GraphSettings settings(GraphSimulator sim, GraphCredential credential) {
    return new GraphSettings(
        sim.tenantId(),
        sim.clientId(),
        credential,
        sim.authority(),
        sim.baseUrl(),
        FOLDER,
        Duration.ofSeconds(30),
        12,
        Duration.ofSeconds(2),
        Duration.ofMillis(20));
  }

  static GraphSink sink(GraphSimulator sim, Path spool) {
    return GraphSink.create(
        settings(sim, new GraphCredential.ClientSecret(SECRET)), Clock.systemUTC(), spool);
  }

  /** What Graph keeps of an item, as a small canonical document. */
  static byte[] canonical(StoredMessage m) {
    String bodyAttachment = m.property(GraphItem.BODY_PROPERTY).orElse("");
    String bodySha = sha256(m.bodyContent().getBytes(StandardCharsets.UTF_8));
    List<String> attachments = new ArrayList<>();
    for (StoredAttachment a : m.attachments()) {
      if (a.name().equals(bodyAttachment)) {
        bodySha = a.sha256();
      } else {
        attachments.add(a.name() + " " + a.sha256());
      }
    }
    return document(
        m.property(GraphItem.KEY_PROPERTY).orElse("?"), m.subject(), bodySha, attachments);
  }

  /** The same document computed from the MIME that was delivered (independent of the sink). */
  static byte[] canonical(byte[] mime) throws Exception {
    MimeMessage msg =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mime));
    List<Part> leaves = new ArrayList<>();
    leaves(msg, leaves);
    Part body = null;
    List<String> attachments = new ArrayList<>();
    for (Part p : leaves) {
      boolean text = p.isMimeType("text/*") && p.getFileName() == null;
      if (text && (body == null || p.isMimeType("text/html") && !body.isMimeType("text/html"))) {
        body = p;
      } else if (!text) {
        attachments.add(p.getFileName() + " " + sha256(p.getInputStream()));
      }
    }
    String bodySha = body == null ? sha256(new byte[0]) : sha256(body.getInputStream());
    return document(msg.getMessageID(), msg.getSubject(), bodySha, attachments);
  }

  static String fingerprint(byte[] message) throws Exception {
    String head =
        new String(
            message, 0, Math.min(message.length, CANONICAL.length()), StandardCharsets.UTF_8);
    return TestEmails.sha256(head.equals(CANONICAL) ? message : canonical(message));
  }

  private static void leaves(Part p, List<Part> out) throws Exception {
    if (p.isMimeType("multipart/*")) {
      Multipart mp = (Multipart) p.getContent();
      for (int i = 0; i < mp.getCount(); i++) {
        leaves(mp.getBodyPart(i), out);
      }
    } else {
      out.add(p);
    }
  }

  private static byte[] document(
      String messageId, String subject, String bodySha, List<String> attachments) {
    StringBuilder sb = new StringBuilder(CANONICAL);
    sb.append("Message-ID: ").append(messageId).append('\n');
    sb.append("Subject: ").append(subject).append('\n');
    sb.append("Body-SHA256: ").append(bodySha).append('\n');
    attachments.stream().sorted().forEach(a -> sb.append("Attachment: ").append(a).append('\n'));
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    return TestEmails.sha256(bytes);
  }

  static String sha256(InputStream in) throws IOException {
    try (in) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
