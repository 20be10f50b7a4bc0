package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Builds one ended Engagement History record (reference section 4) from a seeded {@link Random}.
 *
 * <p>Features are driven by the index so a small set covers every {@code textType}, agent-only
 * ({@code ONLY_TO_REP}) lines, canned answers, transfers (as system lines), the three survey kinds,
 * a consumer email only in an SDE, and hostile names and texts. Agents are the data set's own
 * {@link SimAgent}s, referenced by numeric id as EH does. Start and end reason descriptions beyond
 * the documented example ({@code 201 Rep stopped chat}) are our guesses.
 */
final class ChatGenerator {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int FEATURES = 6;
  private static final String[][] END_REASONS = {
    {"201", "Rep stopped chat"}, {"101", "Visitor closed chat"}, {"106", "Visitor timed out"}
  };

  private final String account;
  private final List<SimAgent> humans;

  /**
   * @param humans agents who can take a chat (bots do not take legacy chats)
   */
  ChatGenerator(String account, List<SimAgent> humans) {
    this.account = account;
    this.humans = List.copyOf(humans);
  }

  /** Engagement ids are digits: the account followed by a running number, as in LivePerson's. */
  String engagementId(int index) {
    return account + (4_294_967_296L + index);
  }

  ObjectNode generate(int index, long startL, Random r) {
    return new Chat(index, startL, r).build();
  }

  /** Mutable state while one chat is built. */
  private final class Chat {
    final int index;
    final Random r;
    final long startL;
    final Content.Name visitor;
    final Content.Topic topic;
    final ConversationGenerator.Skill skill;
    final ArrayNode lines = F.arrayNode();
    final ArrayNode scores = F.arrayNode();
    SimAgent agent;
    long t;
    int lineSeq;

    Chat(int index, long startL, Random r) {
      this.index = index;
      this.r = r;
      this.startL = startL;
      this.t = startL;
      this.visitor = ConversationGenerator.pickConsumer(index, r);
      this.topic = Content.TOPICS.get(r.nextInt(Content.TOPICS.size()));
      this.skill = ConversationGenerator.SKILLS.get(r.nextInt(ConversationGenerator.SKILLS.size()));
      this.agent = humans.get(index % humans.size());
    }

    ObjectNode build() {
      system("Thank you for choosing to chat with us. An agent will be with you shortly.");
      system("You are now chatting with " + agent.nickname() + ".");
      visitorSays(topic.opener());
      agentSays(topic.reply(), "html", 0);
      visitorSays(topic.followUp());
      feature(index % FEATURES);
      if (index % 2 == 0) {
        agentOnly("Note for colleagues: customer identity verified.");
      }
      if (index % 4 == 3 && humans.size() > 1) {
        SimAgent next = humans.get((index + 1) % humans.size());
        agentOnly("Transferring to " + next.nickname() + ", see my notes above.");
        system(agent.nickname() + " transferred the chat to " + next.nickname() + ".");
        agent = next;
        system("You are now chatting with " + agent.nickname() + ".");
        agentSays("Hi, I'm taking over from my colleague.", "plain", 0);
      }
      agentSays(topic.resolution(), "plain", 0);
      visitorSays(topic.thanks());
      long endL = tick();
      ObjectNode rec = F.objectNode();
      rec.set("info", info(endL));
      rec.putObject("transcript").set("lines", lines);
      rec.set("surveys", surveys());
      rec.set("visitorInfo", visitorInfo());
      rec.set("campaign", campaign());
      rec.set("lineScores", scores);
      if (index % 5 == 2) {
        rec.putObject("sdes").putArray("events").add(personalInfoSde());
      }
      return rec;
    }

    private long tick() {
      t += 4_000 + r.nextInt(86_000);
      return t;
    }

    private ObjectNode line(String text, String textType, String source, String by, long id) {
      ObjectNode l = lines.addObject();
      long at = tick();
      l.put("time", ConversationGenerator.time(at));
      l.put("timeL", at);
      l.put("text", text);
      l.put("textType", textType);
      l.put("by", by);
      l.put("source", source);
      l.put("subType", "REGULAR");
      l.put("lineSeq", String.valueOf(++lineSeq)); // a string, as in LivePerson's example
      l.put("cannedAnswerType", 0);
      l.put("agentId", id);
      l.put("controlType", "system".equals(source) ? 3 : 0);
      return l;
    }

    private void system(String text) {
      line(text, "plain", "system", "info", 0);
    }

    private void visitorSays(String text) {
      ObjectNode l = line(text, "plain", "visitor", visitorName(), 0);
      ObjectNode score = scores.addObject();
      score.put("lineSeq", l.get("lineSeq").asText());
      score.put("lineRawScore", r.nextInt(3) - 1);
      score.put("mcs", r.nextInt(101));
    }

    private ObjectNode agentSays(String text, String textType, int canned) {
      ObjectNode l = line(text, textType, "agent", agent.nickname(), Long.parseLong(agent.id()));
      l.put("cannedAnswerType", canned);
      return l;
    }

    private void agentOnly(String text) {
      agentSays(text, "plain", 0).put("subType", "ONLY_TO_REP");
    }

    private void feature(int feature) {
      switch (feature) {
        case 0 -> agentSays(Content.HTML_TEXT, "html", 0);
        case 1 -> agentSays("https://brand.example/help/returns?ref=chat-" + index, "url", 0);
        case 2 -> richContent();
        case 3 -> agentSays("Is there anything else I can help you with?", "plain", 1_200 + index);
        case 4 -> {
          visitorSays(Content.EMOJI_TEXT);
          agentSays(Content.SUSPICIOUS_AGENT_TEXT, "plain", 0);
        }
        default -> agentOnly("Customer sounds upset; offering a goodwill credit.");
      }
    }

    /** EH carries the card as a JSON object in {@code json}, unlike MI's JSON string. */
    private void richContent() {
      ObjectNode l = agentSays("", "rich-content", 0);
      l.remove("text");
      ObjectNode card = l.putObject("json");
      card.put("type", "vertical");
      ArrayNode elements = card.putArray("elements");
      elements.addObject().put("type", "text").put("text", "Your order 100-2345-77");
      ObjectNode button = elements.addObject().put("type", "button").put("title", "Track order");
      button
          .putObject("click")
          .putArray("actions")
          .addObject()
          .put("type", "link")
          .put("uri", "https://brand.example/track?o=100-2345-77");
    }

    private String visitorName() {
      return index % 6 == 5 ? "Visitor" : visitor.first();
    }

    private String visitorEmail() {
      String local = (visitor.first() + "." + visitor.last()).toLowerCase(java.util.Locale.ROOT);
      return (local.matches("[a-z'.]+") ? local.replace("'", "") : "visitor" + index)
          + "@customer.example";
    }

    private ObjectNode info(long endL) {
      String[] end = END_REASONS[r.nextInt(END_REASONS.length)];
      ObjectNode i = F.objectNode();
      i.put("engagementId", engagementId(index));
      i.put("accountId", account);
      i.put("visitorId", "V" + Integer.toHexString(0x10000 + index) + "x" + r.nextInt(1_000_000));
      i.put("visitorName", visitorName());
      i.put("startTime", ConversationGenerator.time(startL));
      i.put("startTimeL", startL);
      i.put("endTime", ConversationGenerator.time(endL));
      i.put("endTimeL", endL);
      i.put("duration", (endL - startL) / 1_000); // seconds in EH
      i.put("chatRequestedTimeL", startL - 4_000);
      i.put("agentId", agent.id());
      i.put("agentLoginName", agent.loginName());
      i.put("agentNickName", agent.nickname());
      i.put("agentFullName", agent.nickname() + " (full name)");
      i.put("agentDeleted", agent.deleted());
      i.put("agentGroupId", -1);
      i.put("agentGroupName", "Main Group");
      i.put("skillId", skill.id());
      i.put("skillName", skill.name());
      i.put("channel", 1);
      i.put("startReason", "0");
      i.put("startReasonDesc", "Visitor request");
      i.put("endReason", end[0]);
      i.put("endReasonDesc", end[1]);
      i.put("engagementSet", 0);
      i.put("engagementSequence", 0);
      i.put("isInteractive", true);
      i.put("ended", true);
      i.put("isPartial", false);
      i.put("chatDataEnriched", true);
      i.put("chatStartUrl", "https://brand.example/help?topic=" + index);
      i.put("chatStartPage", "Help & Support");
      i.put("alertedMCS", r.nextInt(3) - 1);
      i.put("mcs", r.nextInt(101));
      return i;
    }

    private ObjectNode surveys() {
      ObjectNode s = F.objectNode();
      ArrayNode pre = s.putArray("preChat");
      if (index % 2 == 0) {
        pre.add(answer("Pre-Chat", "Name", visitor.first() + " " + visitor.last(), 1));
        pre.add(answer("Pre-Chat", "Email", visitorEmail(), 2));
      }
      ArrayNode post = s.putArray("postChat");
      if (index % 3 == 0) {
        post.add(answer("Exit", "How satisfied were you with this chat?", "Very satisfied", 11));
      }
      ArrayNode operator = s.putArray("operator");
      if (index % 4 == 1) {
        operator.add(answer("Agent", "Reason for contact", topic.summary(), 21));
      }
      return s;
    }

    private ObjectNode answer(String source, String question, String value, int questionId) {
      ObjectNode a = F.objectNode();
      a.put("scope", "Session");
      a.put("source", source);
      a.put("displayName", question);
      a.put("value", value);
      a.putArray("values").add(value);
      a.putArray("answersId").add(-1);
      a.put("name", source + " Survey");
      a.put("timeL", startL + questionId * 1_000L);
      a.put("questionID", questionId);
      a.put("surveyID", 195_991 + questionId / 10);
      return a;
    }

    private ObjectNode visitorInfo() {
      ObjectNode v = F.objectNode();
      String[] countries = {"United States", "Germany", "Japan", ""};
      v.put("country", countries[r.nextInt(countries.length)]);
      v.put("device", index % 3 == 0 ? "MOBILE" : "DESKTOP");
      v.put("ipAddress", "203.0.113." + r.nextInt(255));
      v.put("browser", index % 2 == 0 ? "Chrome 124" : "Firefox 125");
      v.put("operatingSystem", index % 2 == 0 ? "WINDOWS" : "MAC_OSX");
      return v;
    }

    private ObjectNode campaign() {
      ObjectNode c = F.objectNode();
      c.put("campaignEngagementId", String.valueOf(1_500_000 + index % 3));
      c.put("campaignEngagementName", "Chat button");
      c.put("campaignId", String.valueOf(3_300_000 + index % 2));
      c.put("campaignName", "Customer service");
      c.put("goalName", "Interact with visitors");
      c.put("lobName", "Unassigned");
      return c;
    }

    /** The visitor's email in an SDE; for odd indexes the only place it appears. */
    private ObjectNode personalInfoSde() {
      ObjectNode e = F.objectNode();
      e.put("sdeType", "PERSONAL_INFO");
      e.put("serverTimeStamp", String.valueOf(startL + 1_000));
      ObjectNode pi = e.putObject("personalInfo").putObject("personalInfo");
      pi.put("name", visitor.first());
      pi.put("surname", visitor.last());
      pi.putArray("contacts").addObject().putObject("personalContact").put("email", visitorEmail());
      return e;
    }
  }
}
