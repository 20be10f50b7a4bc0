package io.lparchiver.render;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.ConversationEvent;
import io.lparchiver.model.Message;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Role;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random hostile names and texts (control characters, CR/LF, broken surrogates, emoji, encoded-word
 * look-alikes, header look-alikes). Each case is one seed: a failure names it, and {@link
 * #SEED_BASE} can be set with {@code -Drender.seed=N} to replay from N.
 */
class RenderPropertyTest {

  private static final long SEED_BASE = Long.getLong("render.seed", 20240501L);
  private static final String[] TRAPS = {
    "\r\nBcc: x@evil.example",
    "\n",
    "\r",
    "=?UTF-8?B?SGk=?=",
    "\"",
    "\\",
    "<script>",
    "&amp;",
    "=",
    ".",
    "\u0000",
    "\u001b[31m",
    "\u0085",
    "\u2028",
    "\uD83D\uDE00",
    "\uD800",
    "\uDC00",
    "\u202E",
    "\t",
    "  ",
    "Subject: x",
    "--",
    "----=_lp_",
    "é",
    "李",
    "\uFEFF"
  };

  /** The offset of the first CR not followed by LF or LF not preceded by CR; -1 when none. */
  private static int bareLineEnd(byte[] mime) {
    for (int i = 0; i < mime.length; i++) {
      boolean crAlone = mime[i] == '\r' && (i + 1 == mime.length || mime[i + 1] != '\n');
      boolean lfAlone = mime[i] == '\n' && (i == 0 || mime[i - 1] != '\r');
      if (crAlone || lfAlone) {
        return i;
      }
    }
    return -1;
  }

  static LongStream seeds() {
    return LongStream.range(SEED_BASE, SEED_BASE + 150);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void shouldAlwaysParseWithExactHeadersAndRoundTripTexts(long seed) throws Exception {
    Random random = new Random(seed);
    Conversation c = conversation(random);

    byte[] mime =
        new EmailRenderer()
            .render(Fixtures.fetched(c), Fixtures.key(c, 1), Fixtures.noRecipients(), List.of())
            .mime();
    ParsedEmail parsed = new ParsedEmail(mime);

    SoftAssertions soft = new SoftAssertions();
    // IMAP sends the bytes as they are (EmailLiteral): RFC 5322 allows CR and LF only together
    soft.assertThat(bareLineEnd(mime)).as("seed %d: offset of a bare CR or LF", seed).isEqualTo(-1);
    soft.assertThat(new LinkedHashSet<>(parsed.headerNames()))
        .as("seed %d: header set", seed)
        .isEqualTo(expectedHeaders(c));
    soft.assertThat(parsed.headerNames())
        .as("seed %d: no duplicates", seed)
        .doesNotHaveDuplicates();
    soft.assertThat(parsed.message.getSubject())
        .as("seed %d: subject", seed)
        .isEqualTo(Headers.subject(c, Fixtures.key(c, 1), new People(c, Fixtures.noRecipients())));
    soft.assertThat(personals(parsed))
        .as("seed %d: display names round-trip", seed)
        .isEqualTo(c.participants().stream().map(People::name).toList());
    for (Message m : c.messages()) {
      for (String line : Texts.clean(m.text()).split("\n", -1)) {
        soft.assertThat(parsed.text).as("seed %d: text of #%d", seed, m.seq()).contains(line);
        soft.assertThat(parsed.html)
            .as("seed %d: html of #%d", seed, m.seq())
            .contains(Texts.html(line));
      }
    }
    soft.assertThat(parsed.attachments.get("conversation.json"))
        .isEqualTo(Fixtures.fetched(c).rawRecord());
    soft.assertAll();
    EmailRendererTest.assertCrlfAndShortLines(mime);
  }

  private static List<String> personals(ParsedEmail parsed) throws Exception {
    List<String> names = new ArrayList<>();
    for (var a : parsed.message.getFrom()) {
      names.add(((InternetAddress) a).getPersonal());
    }
    var to = parsed.message.getRecipients(RecipientType.TO);
    for (var a : to == null ? new InternetAddress[0] : to) {
      names.add(((InternetAddress) a).getPersonal());
    }
    return names;
  }

  private static Set<String> expectedHeaders(Conversation c) {
    Set<String> names = new LinkedHashSet<>(Arrays.asList("Date", "From"));
    long consumers = c.participants().stream().filter(p -> p.role() == Role.CONSUMER).count();
    if (consumers > 1) {
      names.add("Sender");
    }
    if (consumers < c.participants().size()) {
      names.add("To");
    }
    names.addAll(List.of("Message-ID", "Subject", "MIME-Version", "Content-Type"));
    for (String x : List.of("Account", "Conversation-Id", "Channel", "Status", "Start")) {
      names.add(Headers.PREFIX + x);
    }
    if (c.end().isPresent()) {
      names.add(Headers.PREFIX + "End");
    }
    for (String x : List.of("Version", "Source-SHA256", "Message-Count", "Archiver")) {
      names.add(Headers.PREFIX + x);
    }
    return names;
  }

  private static Conversation conversation(Random random) {
    List<Participant> people = new ArrayList<>();
    people.add(participant("c-0", Role.CONSUMER, random));
    if (random.nextInt(4) == 0) {
      people.add(participant("c-1", Role.CONSUMER, random));
    }
    int agents = random.nextInt(4);
    for (int i = 0; i < agents; i++) {
      people.add(participant("a-" + i, random.nextBoolean() ? Role.AGENT : Role.BOT, random));
    }
    List<Message> messages = new ArrayList<>();
    int count = 1 + random.nextInt(8);
    for (int i = 0; i < count; i++) {
      Participant who = people.get(random.nextInt(people.size()));
      messages.add(Fixtures.text(i, i * 7, who.id(), who.role(), string(random, 200)));
    }
    List<ConversationEvent> events =
        List.of(
            Fixtures.event(
                random.nextInt(60), ConversationEvent.Kind.OTHER, string(random, 40), ""));
    boolean closed = random.nextBoolean();
    return new Conversation(
        Fixtures.ACCOUNT,
        "conv-" + random.nextInt(1000),
        random.nextBoolean() ? Channel.MESSAGING : Channel.CHAT,
        closed ? "CLOSE" : string(random, 10),
        Fixtures.START,
        closed ? Optional.of(Fixtures.at(3600)) : Optional.empty(),
        people,
        messages,
        events,
        List.of(),
        Optional.of(string(random, 50)),
        Map.of(string(random, 10), string(random, 30)));
  }

  private static Participant participant(String id, Role role, Random random) {
    return new Participant(
        id,
        role,
        string(random, 60),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A random string mixing ASCII, any BMP character, astral characters and known traps. */
  static String string(Random random, int maxLength) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    while (s.length() < length) {
      switch (random.nextInt(5)) {
        case 0 -> s.append((char) (0x20 + random.nextInt(0x5f)));
        case 1 -> s.append((char) random.nextInt(0x10000));
        case 2 -> s.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
        case 3 -> s.append(TRAPS[random.nextInt(TRAPS.length)]);
        default -> s.append((char) random.nextInt(0x20));
      }
    }
    return s.toString();
  }
}
