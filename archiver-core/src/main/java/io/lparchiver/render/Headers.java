package io.lparchiver.render;

import io.lparchiver.model.Conversation;
import io.lparchiver.model.MessageKey;
import io.lparchiver.model.Participant;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Sets the envelope headers. Every value that comes from LivePerson passes {@link Texts#oneLine}
 * (no CR/LF can survive) and is RFC 2047-encoded when it is not ASCII.
 */
final class Headers {

  static final String PREFIX = "X-LivePerson-";
  private static final int SUBJECT_NAME = 40;
  private static final int SUBJECT_AGENTS = 3;

  private Headers() {}

  /** Sets the headers and returns the subject, unencoded. */
  static String apply(
      MimeMessage msg,
      Conversation c,
      MessageKey key,
      People people,
      List<MessageKey> previous,
      String sourceSha256)
      throws MessagingException, RenderException {
    msg.setHeader("Date", Times.header(c.start()));
    addresses(msg, people);
    threading(msg, previous);
    String subject = subject(c, key, people);
    msg.setHeader("Subject", encoded("Subject", subject));
    msg.setHeader(PREFIX + "Account", c.account());
    msg.setHeader(PREFIX + "Conversation-Id", c.id());
    msg.setHeader(PREFIX + "Channel", c.channel().label());
    msg.setHeader(PREFIX + "Status", encoded(PREFIX + "Status", Texts.oneLine(c.status(), 64)));
    msg.setHeader(PREFIX + "Start", Times.iso(c.start()));
    if (c.end().isPresent()) {
      msg.setHeader(PREFIX + "End", Times.iso(c.end().get()));
    }
    msg.setHeader(PREFIX + "Version", Integer.toString(key.version()));
    msg.setHeader(PREFIX + "Source-SHA256", sourceSha256);
    msg.setHeader(PREFIX + "Message-Count", Integer.toString(c.messages().size()));
    msg.setHeader(PREFIX + "Archiver", "lp-archiver");
    return subject;
  }

  private static void addresses(MimeMessage msg, People people)
      throws MessagingException, RenderException {
    List<InternetAddress> from = new ArrayList<>();
    for (Participant p : people.consumers()) {
      from.add(people.internetAddress(p));
    }
    if (from.isEmpty()) {
      from.add(people.unknownConsumer());
    }
    msg.addFrom(from.toArray(InternetAddress[]::new));
    if (from.size() > 1) {
      // RFC 5322 3.6.2: several From mailboxes require a single Sender.
      msg.setSender(from.get(0));
    }
    List<InternetAddress> to = new ArrayList<>();
    for (Participant p : people.internal()) {
      to.add(people.internetAddress(p));
    }
    if (!to.isEmpty()) {
      msg.setRecipients(RecipientType.TO, to.toArray(InternetAddress[]::new));
    }
  }

  private static void threading(MimeMessage msg, List<MessageKey> previous)
      throws MessagingException {
    if (previous.isEmpty()) {
      return;
    }
    msg.setHeader("In-Reply-To", previous.get(previous.size() - 1).messageId());
    String refs = previous.stream().map(MessageKey::messageId).collect(Collectors.joining(" "));
    msg.setHeader("References", MimeUtility.fold("References: ".length(), refs));
  }

  /**
   * {@code [LivePerson messaging] 2024-05-01 10:00 UTC | Jo Doe with Ann, Bob | 5b1c...}, then
   * {@code (open)} for interim versions and {@code (version N)} from version 2 on.
   */
  static String subject(Conversation c, MessageKey key, People people) {
    List<String> consumers = people.consumers().stream().map(People::name).toList();
    List<String> agents = people.internal().stream().map(People::name).toList();
    StringBuilder s = new StringBuilder();
    s.append("[LivePerson ").append(c.channel().label()).append("] ");
    s.append(Times.subject(c.start())).append(" | ");
    s.append(consumers.isEmpty() ? "Unknown consumer" : names(consumers, SUBJECT_AGENTS));
    s.append(agents.isEmpty() ? " (no agent)" : " with " + names(agents, SUBJECT_AGENTS));
    s.append(" | ").append(c.id());
    if (!c.isClosed()) {
      s.append(" (open)");
    }
    if (key.version() > 1) {
      s.append(" (version ").append(key.version()).append(')');
    }
    return s.toString();
  }

  private static String names(List<String> names, int max) {
    String shown =
        names.stream()
            .limit(max)
            .map(n -> Texts.oneLine(n, SUBJECT_NAME))
            .collect(Collectors.joining(", "));
    return names.size() > max ? shown + " +" + (names.size() - max) + " more" : shown;
  }

  private static String encoded(String header, String value) {
    String text = EncodedWords.needed(value) ? EncodedWords.encode(value) : value;
    return MimeUtility.fold(header.length() + 2, text);
  }
}
