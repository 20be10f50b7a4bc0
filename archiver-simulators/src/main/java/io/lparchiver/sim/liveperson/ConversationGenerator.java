package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Builds one Messaging Interactions record (reference section 3.5) from a seeded {@link Random}.
 *
 * <p>Which features a conversation gets is driven partly by its index, so even a small data set
 * covers every message type, both consumer-participant key spellings and every agent identity.
 * Empty sections are left out, never written as null.
 */
final class ConversationGenerator {
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int FEATURES = 8;

  record Skill(int id, String name) {}

  static final List<Skill> SKILLS =
      List.of(new Skill(12, "Billing"), new Skill(14, "Support"), new Skill(17, "Sales"));

  /** A generated record and its internal last-update time. */
  record Generated(ObjectNode record, long lastUpdateL) {}

  private final String account;
  private final List<SimAgent> humans;
  private final SimAgent bot;

  /**
   * @param humans agents who can own a conversation (including the unlisted one)
   * @param bot the bot user, or null when the data set has none
   */
  ConversationGenerator(String account, List<SimAgent> humans, SimAgent bot) {
    this.account = account;
    this.humans = List.copyOf(humans);
    this.bot = bot;
  }

  static String time(long epochMs) {
    return TIME.format(Instant.ofEpochMilli(epochMs));
  }

  static String uuid(Random r) {
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /**
   * @param nowL the generation "now", used for an open conversation's running duration (the server
   *     replaces it with its clock when serving)
   */
  Generated generate(int index, long startL, boolean open, Random r, long nowL) {
    Conversation c = new Conversation(index, startL, open, r);
    SimAgent agent = humans.get(index % humans.size());
    c.consumerSays(c.topic.opener());
    int variant = index % 4;
    if (variant == 1 && bot != null) {
      c.assign(bot);
      c.agentSays(bot, "Hi, I'm the virtual assistant. What can I do for you?", true);
      c.consumerSays("I'd like to talk to a person please.");
      c.skillTransfer(bot, agent);
    } else {
      c.assign(agent);
    }
    c.agentSays(agent, c.topic.reply(), false);
    c.consumerSays(c.topic.followUp());
    c.feature(index % FEATURES, agent);
    if (r.nextBoolean()) {
      c.feature(r.nextInt(FEATURES), agent);
    }
    if (variant == 3 && humans.size() > 1) {
      SimAgent next = humans.get((index + 1) % humans.size());
      c.agentTransfer(agent, next);
      agent = next;
      c.agentSays(agent, "Hi, I'm taking over from my colleague.", false);
    }
    long lastUpdate;
    if (open) {
      c.active.add(c.participant(agent, c.t));
      lastUpdate = c.t;
    } else {
      c.agentSays(agent, c.topic.resolution(), false);
      c.consumerSays(c.topic.thanks());
      lastUpdate = c.closeMain(agent);
      if (index % 3 == 1) {
        lastUpdate = c.postSurvey(agent);
      }
    }
    return new Generated(c.record(agent, nowL, lastUpdate), lastUpdate);
  }

  /** Mutable state while one conversation is built; never escapes {@link #generate}. */
  private final class Conversation {
    final int index;
    final Random r;
    final boolean open;
    final long startL;
    final String convId;
    final String consumerId;
    final Content.Name consumer;
    final boolean anonymous;
    final Content.Topic topic;
    final Skill skill;
    final boolean seqAsString;
    long t;
    long endL = -1;
    int seq;
    int interactiveSequence;
    String dialogId;
    String closeReason;
    String closeReasonDescription;
    Integer csat;

    final ArrayNode messages = F.arrayNode();
    final ArrayNode agents = F.arrayNode();
    final ArrayNode leaves = F.arrayNode();
    final ArrayNode active = F.arrayNode();
    final ArrayNode transfers = F.arrayNode();
    final ArrayNode interactions = F.arrayNode();
    final ArrayNode scores = F.arrayNode();
    final ArrayNode statuses = F.arrayNode();
    final ArrayNode dialogs = F.arrayNode();
    final ArrayNode surveys = F.arrayNode();
    final ArrayNode skillChanges = F.arrayNode();

    Conversation(int index, long startL, boolean open, Random r) {
      this.index = index;
      this.r = r;
      this.open = open;
      this.startL = startL;
      this.t = startL;
      this.convId = uuid(r);
      this.consumerId = uuid(r);
      this.dialogId = convId; // the MAIN dialog id equals the conversation id
      this.consumer = pickConsumer(index, r);
      this.anonymous = index % 6 == 5 && !Content.HOSTILE_CONSUMERS.contains(consumer);
      this.topic = Content.TOPICS.get(r.nextInt(Content.TOPICS.size()));
      this.skill = SKILLS.get(r.nextInt(SKILLS.size()));
      this.seqAsString = index % 6 == 4; // numbers as strings, as some real records have
    }

    private long tick() {
      t += 4_000 + r.nextInt(86_000);
      return t;
    }

    private int nextSeq() {
      int s = seq;
      seq += r.nextInt(5) == 0 ? 2 : 1; // gaps are allowed
      return s;
    }

    ObjectNode participant(SimAgent a, long at) {
      ObjectNode p = F.objectNode();
      p.put("agentId", a.reference());
      p.put("agentLoginName", a.loginName());
      p.put("agentNickname", a.nickname());
      p.put("agentFullName", "");
      p.put("agentDeleted", a.deleted());
      p.put("userType", String.valueOf(a.userTypeId()));
      p.put("userTypeName", a.isBot() ? "Bot" : "Human");
      p.put("role", "AGENT");
      p.put("permission", "ASSIGNED_AGENT");
      p.put("agentGroupId", -1);
      p.put("agentGroupName", "Main Group");
      p.put("time", time(at));
      p.put("timeL", at);
      p.put("dialogId", dialogId);
      return p;
    }

    void assign(SimAgent a) {
      long at = tick();
      agents.add(participant(a, at));
      ObjectNode i = interactions.addObject();
      i.put("assignedAgentId", a.reference());
      i.put("agentLoginName", a.loginName());
      i.put("agentNickname", a.nickname());
      i.put("agentFullName", "");
      i.put("interactionTime", time(at));
      i.put("interactionTimeL", at);
      i.put("interactiveSequence", ++interactiveSequence);
      i.put("dialogId", dialogId);
    }

    ObjectNode message(String type, ObjectNode data, String participantId, String sentBy) {
      int s = nextSeq();
      long at = tick();
      ObjectNode m = messages.addObject();
      m.put("type", type);
      m.set("messageData", data);
      m.put("messageId", "ms::conv:" + convId + "::msg:" + s);
      putSeq(m, s);
      m.put("dialogId", dialogId);
      m.put("participantId", participantId);
      m.put("time", time(at));
      m.put("timeL", at);
      m.put("sentBy", sentBy);
      if ("Consumer".equals(sentBy)) {
        status(m, "Agent", "READ", at + 1_500);
        score(m, at);
      } else {
        status(m, "Consumer", "ACCEPT", at + 300);
        status(m, "Consumer", "READ", at + 2_000);
      }
      return m;
    }

    private void putSeq(ObjectNode node, int s) {
      if (seqAsString) {
        node.put("seq", String.valueOf(s));
      } else {
        node.put("seq", s);
      }
    }

    private void status(ObjectNode m, String who, String status, long at) {
      ObjectNode s = statuses.addObject();
      s.put("messageId", m.get("messageId").asText());
      s.set("seq", m.get("seq"));
      s.put("time", time(at));
      s.put("timeL", at);
      s.put("participantId", "Agent".equals(who) ? m.get("participantId").asText() : consumerId);
      s.put("participantType", who);
      s.put("messageDeliveryStatus", status);
      s.put("dialogId", dialogId);
    }

    private void score(ObjectNode m, long at) {
      ObjectNode s = scores.addObject();
      s.put("messageId", m.get("messageId").asText());
      s.put("messageRawScore", r.nextInt(3) - 1);
      s.put("mcs", r.nextInt(101));
      s.put("time", time(at));
      s.put("timeL", at);
    }

    ObjectNode consumerSays(String text) {
      return message("TEXT_PLAIN", text(text), consumerId, "Consumer");
    }

    ObjectNode agentSays(SimAgent a, String text, boolean withBotMetadata) {
      ObjectNode m = message("TEXT_PLAIN", text(text), a.reference(), "Agent");
      if (withBotMetadata) {
        m.set("contextData", botContext());
      }
      return m;
    }

    private ObjectNode text(String text) {
      ObjectNode data = F.objectNode();
      data.putObject("msg").put("text", text);
      return data;
    }

    private ObjectNode botContext() {
      ObjectNode ctx = F.objectNode();
      ctx.put(
          "rawMetadata",
          "[{\"type\":\"BotResponse\",\"externalConversationId\":\"" + convId + "\"}]");
      ObjectNode intent = F.objectNode();
      intent.put("id", "intent-" + topic.summary().length());
      intent.put("name", "talk_to_agent");
      intent.put("confidence", "HIGH");
      intent.put("confidenceScore", 0.93);
      ObjectNode botResponse = F.objectNode();
      botResponse.put("externalConversationId", convId);
      botResponse.putArray("businessCases");
      botResponse.putArray("intents").add(intent);
      ctx.putArray("structuredMetadata").addObject().set("botResponse", botResponse);
      return ctx;
    }

    void feature(int feature, SimAgent a) {
      switch (feature) {
        case 0 -> hostedFile("HOSTED_FILE", pick("PNG", "JPG", "PDF"), "receipt");
        case 1 -> link(a);
        case 2 -> richContent(a);
        case 3 -> quickReplies(a);
        case 4 -> secureForm(a);
        case 5 -> message("TEXT_HTML", text(Content.HTML_TEXT), a.reference(), "Agent");
        case 6 -> hostedFile("IMG", "JPG", "photo of the damaged parcel");
        default -> {
          consumerSays(Content.EMOJI_TEXT);
          agentSays(a, Content.SUSPICIOUS_AGENT_TEXT, false);
        }
      }
    }

    private String pick(String... values) {
      return values[r.nextInt(values.length)];
    }

    /** The container key {@code file} is unconfirmed (reference 3.6); IMG reuses it. */
    private void hostedFile(String type, String fileType, String caption) {
      ObjectNode data = F.objectNode();
      ObjectNode file = data.putObject("file");
      file.put("relativePath", "/v1/AUTH_async-images/" + account + "/" + uuid(r) + "." + fileType);
      file.put("fileType", fileType);
      file.put("caption", caption);
      message(type, data, consumerId, "Consumer");
    }

    /** The container key {@code link} is unconfirmed; clients should detect by inner keys. */
    private void link(SimAgent a) {
      ObjectNode data = F.objectNode();
      ObjectNode link = data.putObject("link");
      link.put("externalFileLink", "https://brand.example/docs/terms-" + index + ".pdf");
      link.put("fileType", "PDF");
      link.put("caption", "Terms and conditions");
      message("LINK", data, a.reference(), "Agent");
    }

    private void richContent(SimAgent a) {
      String card =
          "{\"type\":\"vertical\",\"elements\":["
              + "{\"type\":\"text\",\"text\":\"Your order 100-2345-77\","
              + "\"style\":{\"bold\":true,\"size\":\"large\"}},"
              + "{\"type\":\"image\",\"url\":\"https://brand.example/img/parcel.png\","
              + "\"caption\":\"Parcel\",\"tooltip\":\"parcel\"},"
              + "{\"type\":\"button\",\"title\":\"Open tracking page\",\"tooltip\":\"tracking\","
              + "\"click\":{\"actions\":[{\"type\":\"link\",\"name\":\"Track\","
              + "\"uri\":\"https://brand.example/track?o=100-2345-77&lang=en\"}],"
              + "\"metadata\":[{\"type\":\"ExternalId\",\"id\":\"track-btn\"}]}},"
              + "{\"type\":\"button\",\"title\":\"Track my order\","
              + "\"click\":{\"actions\":[{\"type\":\"publishText\",\"text\":\"Track my order\"}]}}"
              + "]}";
      ObjectNode data = F.objectNode();
      data.putObject("richContent").put("content", card);
      ObjectNode m = message("RICH_CONTENT", data, a.reference(), "Agent");
      m.set(
          "contextData",
          F.objectNode().put("rawMetadata", "[]").set("structuredMetadata", F.arrayNode()));
      status(m, "Consumer", "ACTION", t + 5_000);
      consumerSays("Track my order"); // the publishText click lands as a consumer message
    }

    private void quickReplies(SimAgent a) {
      String replies =
          "{\"type\":\"quickReplies\",\"itemsPerRow\":8,\"replies\":["
              + "{\"type\":\"button\",\"title\":\"Yes\","
              + "\"click\":{\"actions\":[{\"type\":\"publishText\",\"text\":\"Yes\"}]}},"
              + "{\"type\":\"button\",\"title\":\"No\","
              + "\"click\":{\"actions\":[{\"type\":\"publishText\",\"text\":\"No\"}]}}]}";
      ObjectNode data = text("Did that answer your question?");
      data.putObject("quickReplies").put("content", replies);
      message("TEXT_PLAIN", data, a.reference(), "Agent");
      consumerSays("Yes");
    }

    /** Form data itself is never stored; only invitation and submit events are. */
    private void secureForm(SimAgent a) {
      String formId = String.valueOf(3_000_000 + r.nextInt(1_000_000));
      String invitationId = uuid(r);
      ObjectNode invite = F.objectNode();
      ObjectNode form = invite.putObject("form");
      form.put("formId", formId);
      form.put("formName", "Verify identity");
      form.put("invitationId", invitationId);
      message("SECURE_FORM_INVITATION", invite, a.reference(), "Agent");
      ObjectNode submit = F.objectNode();
      ObjectNode sub = submit.putObject("form");
      sub.put("formId", formId);
      sub.put("formName", "Verify identity");
      sub.put("invitationId", invitationId);
      sub.put("submissionId", uuid(r));
      message("SECURE_FORM_SUBMIT", submit, consumerId, "Consumer");
    }

    void skillTransfer(SimAgent from, SimAgent to) {
      long at = tick();
      ObjectNode tr = transfers.addObject();
      tr.put("time", time(at));
      tr.put("timeL", at);
      tr.put("assignedAgentId", "null"); // the API's sentinel for "nobody yet"
      tr.put("targetSkillId", skill.id());
      tr.put("targetSkillName", skill.name());
      tr.put("sourceSkillId", -1);
      tr.put("sourceSkillName", "Unassigned");
      sourceAgent(tr, from);
      tr.put("reason", "Skill");
      tr.put("by", from.reference());
      tr.put("dialogId", dialogId);
      // skillChanges has no documented shape (reference 3.6); this one is our guess, unconfirmed.
      ObjectNode sc = skillChanges.addObject();
      sc.put("dialogId", dialogId);
      sc.put("fromSkillId", -1);
      sc.put("fromSkillName", "Unassigned");
      sc.put("toSkillId", skill.id());
      sc.put("toSkillName", skill.name());
      sc.put("time", time(at));
      sc.put("timeL", at);
      sc.put("by", from.reference());
      leaves.add(participant(from, at));
      assign(to);
    }

    void agentTransfer(SimAgent from, SimAgent to) {
      long at = tick();
      ObjectNode tr = transfers.addObject();
      tr.put("time", time(at));
      tr.put("timeL", at);
      tr.put("assignedAgentId", to.reference());
      tr.put("assignedAgentLoginName", to.loginName());
      tr.put("assignedAgentNickname", to.nickname());
      tr.put("targetSkillId", skill.id());
      tr.put("targetSkillName", skill.name());
      tr.put("sourceSkillId", skill.id());
      tr.put("sourceSkillName", skill.name());
      sourceAgent(tr, from);
      tr.put("reason", "Agent");
      tr.put("by", from.reference());
      tr.put("dialogId", dialogId);
      leaves.add(participant(from, at));
      assign(to);
    }

    private void sourceAgent(ObjectNode tr, SimAgent from) {
      tr.put("sourceAgentId", from.reference());
      tr.put("sourceAgentLoginName", from.loginName());
      tr.put("sourceAgentNickname", from.nickname());
      tr.put("sourceAgentFullName", "");
    }

    /** Closes the MAIN dialog; returns the close time. */
    long closeMain(SimAgent a) {
      endL = tick();
      String[][] reasons = {
        {"AGENT", "MANUAL_CLOSE"}, {"CONSUMER", "CONSUMER_CLOSE"}, {"SYSTEM", "AUTO_CLOSE"}
      };
      String[] reason = reasons[r.nextInt(reasons.length)];
      closeReason = reason[0];
      closeReasonDescription = reason[1];
      leaves.add(participant(a, endL));
      dialogs.add(dialog(convId, "MAIN", startL, endL));
      return endL;
    }

    private ObjectNode dialog(String id, String type, long from, long to) {
      ObjectNode d = F.objectNode();
      d.put("dialogId", id);
      d.put("status", to < 0 ? "OPEN" : "CLOSE");
      d.put("dialogType", type);
      d.put("dialogChannelType", "MESSAGING");
      d.put("startTime", time(from));
      d.put("startTimeL", from);
      d.put("endTime", to < 0 ? "undefined" : time(to));
      d.put("endTimeL", to);
      if (to >= 0) {
        d.put("closeReason", closeReason);
        d.put("closeReasonDescription", closeReasonDescription);
      }
      d.put("skillId", String.valueOf(skill.id()));
      d.put("skillName", skill.name());
      return d;
    }

    /** A POST_SURVEY dialog with its own messages after the main dialog closed. */
    long postSurvey(SimAgent agent) {
      SimAgent surveyBot = bot != null ? bot : agent;
      dialogId = uuid(r);
      long from = tick();
      String question = "How would you rate the service you received today? (1-5)";
      agentSays(surveyBot, question, false);
      csat = 1 + r.nextInt(5);
      consumerSays(String.valueOf(csat));
      long to = tick();
      dialogs.add(dialog(dialogId, "POST_SURVEY", from, to));
      ObjectNode survey = surveys.addObject();
      survey.put("surveyType", "CSAT");
      survey.put("surveyStatus", "FILLED");
      survey.put("surveyId", String.valueOf(3_500_000 + r.nextInt(1000)));
      survey.put("dialogId", dialogId);
      ObjectNode answer = survey.putArray("surveyData").addObject();
      answer.put("question", question);
      answer.put("answer", String.valueOf(csat));
      answer.put("questionId", "q-csat-1");
      answer.put("answerId", "a-" + csat);
      answer.put("questionType", "CSAT");
      answer.put("questionFormat", "5_point");
      answer.put("answerSeq", 1);
      answer.put("isValidAnswer", true);
      endL = to;
      return to;
    }

    ObjectNode record(SimAgent latest, long nowL, long lastUpdate) {
      ObjectNode rec = F.objectNode();
      rec.set("info", info(latest, nowL));
      rec.set("messageRecords", messages);
      putIfAny(rec, "agentParticipants", agents);
      putIfAny(rec, "agentParticipantsLeave", leaves);
      putIfAny(rec, "agentParticipantsActive", active);
      // ~20% of records use the singular key seen in the doc example (reference 9.1)
      rec.set(index % 5 == 2 ? "consumerParticipant" : "consumerParticipants", consumers());
      putIfAny(rec, "transfers", transfers);
      putIfAny(rec, "interactions", interactions);
      putIfAny(rec, "messageScores", scores);
      if (open) {
        dialogs.add(dialog(convId, "MAIN", startL, -1));
      }
      putIfAny(rec, "dialogs", dialogs);
      putIfAny(rec, "messageStatuses", statuses);
      putIfAny(rec, "conversationSurveys", surveys);
      if (!open && index % 20 == 5) {
        rec.set("coBrowseSessions", coBrowse(latest));
      }
      if (!open && index % 2 == 0) {
        ObjectNode summary = rec.putObject("summary");
        summary.put("text", topic.summary());
        summary.put("lastUpdatedTime", Math.min(lastUpdate, endL - 500));
      }
      sdes(rec);
      putIfAny(rec, "skillChanges", skillChanges);
      rec.set("campaign", campaign());
      rec.set("monitoring", monitoring());
      return rec;
    }

    private void putIfAny(ObjectNode rec, String key, ArrayNode values) {
      if (!values.isEmpty()) {
        rec.set(key, values);
      }
    }

    private ObjectNode info(SimAgent latest, long nowL) {
      ObjectNode info = F.objectNode();
      info.put("conversationId", convId);
      info.put("brandId", account);
      info.put("status", open ? "OPEN" : "CLOSE");
      info.put("fullDialogStatus", open ? "OPEN" : "CLOSE");
      info.put("startTime", time(startL));
      info.put("startTimeL", startL);
      info.put("endTime", open ? "undefined" : time(endL));
      info.put("endTimeL", open ? -1 : endL);
      info.put("duration", open ? Math.max(0, nowL - startL) : endL - startL);
      if (!open) {
        info.put("closeReason", closeReason);
        info.put("closeReasonDescription", closeReasonDescription);
      }
      info.put("firstConversation", index % 7 == 0);
      if (csat != null) {
        info.put("csat", csat);
      }
      info.put("mcs", r.nextInt(101));
      info.put("alertedMCS", r.nextInt(3) - 1);
      info.put("source", pick("APP", "SHARK", "SMS", "FACEBOOK", "WhatsApp Business"));
      info.put("device", pick("DESKTOP", "MOBILE", "TABLET", "NA"));
      info.put("browser", pick("Chrome 124", "Safari 17", "Firefox 125"));
      info.put("operatingSystem", pick("WINDOWS", "MAC_OSX", "ANDROID", "IOS"));
      info.put("latestAgentId", latest.reference());
      info.put("latestAgentLoginName", latest.loginName());
      info.put("latestAgentNickname", latest.nickname());
      info.put("latestAgentFullName", "");
      info.put("agentDeleted", latest.deleted());
      info.put("latestSkillId", skill.id());
      info.put("latestSkillName", skill.name());
      info.put("latestAgentGroupId", -1);
      info.put("latestAgentGroupName", "Main Group");
      info.put("latestQueueState", "ACTIVE");
      info.put("isPartial", false);
      info.put("brandName", "Brand Example");
      return info;
    }

    private ArrayNode consumers() {
      ObjectNode p = F.objectNode();
      p.put("participantId", consumerId);
      p.put("firstName", anonymous ? "undefined" : consumer.first());
      p.put("lastName", anonymous ? "undefined" : consumer.last());
      p.put("email", "undefined"); // real profiles rarely carry it; SDEs do
      p.put("phone", "0");
      p.put("token", "undefined");
      p.put("avatarURL", "undefined");
      p.put("consumerName", anonymous ? "Visitor" : consumer.first());
      p.put("time", time(startL));
      p.put("timeL", startL);
      p.put("joinTime", time(startL));
      p.put("joinTimeL", startL);
      p.put("dialogId", convId);
      return F.arrayNode().add(p);
    }

    /** Consumer email appears only here, in some conversations. */
    private void sdes(ObjectNode rec) {
      ArrayNode events = F.arrayNode();
      String ts = String.valueOf(startL + 1_000); // SDE timestamps are strings
      if (index % 3 == 0) {
        ObjectNode e = events.addObject();
        e.put("sdeType", "PERSONAL_INFO");
        e.put("serverTimeStamp", ts);
        ObjectNode outer = e.putObject("personalInfo");
        outer.put("serverTimeStamp", ts);
        outer.put("originalTimeStamp", startL + 900);
        ObjectNode pi = outer.putObject("personalInfo");
        pi.put("name", consumer.first());
        pi.put("surname", consumer.last());
        ObjectNode contact = pi.putArray("contacts").addObject().putObject("personalContact");
        contact.put("email", consumerEmail());
        contact.put("phone", "+1555" + (1_000_000 + r.nextInt(8_999_999)));
      }
      if (index % 4 == 2) {
        ObjectNode e = events.addObject();
        e.put("sdeType", "CUSTOMER_INFO");
        e.put("serverTimeStamp", ts);
        ObjectNode outer = e.putObject("customerInfo");
        outer.put("serverTimeStamp", ts);
        ObjectNode ci = outer.putObject("customerInfo");
        ci.put("customerStatus", "active");
        ci.put("customerType", pick("vip", "regular"));
        ci.put("customerId", "C-" + (10_000 + r.nextInt(90_000)));
        ci.put("balance", 120.5);
      }
      if (!events.isEmpty()) {
        rec.putObject("sdes").set("events", events);
      }
      if (index % 4 == 0) {
        // Unauthenticated SDE shape assumed to mirror sdes (unconfirmed).
        ObjectNode e = F.objectNode();
        e.put("sdeType", "SEARCH_CONTENT");
        e.put("serverTimeStamp", ts);
        ObjectNode outer = e.putObject("searchContent");
        outer.put("serverTimeStamp", ts);
        outer.putObject("searchContent").putArray("keywords").add(topic.summary());
        rec.putObject("unAuthSdes").putArray("events").add(e);
      }
    }

    String consumerEmail() {
      String local = (consumer.first() + "." + consumer.last()).toLowerCase(Locale.ROOT);
      if (!local.matches("[a-z'.]+")) {
        local = "customer" + index;
      }
      return local.replace("'", "") + "@customer.example";
    }

    private ObjectNode coBrowse(SimAgent a) {
      ObjectNode s = F.objectNode();
      long from = startL + 60_000;
      long to = from + 120_000;
      s.put("sessionId", uuid(r));
      s.put("startTime", time(from));
      s.put("startTimeL", from);
      s.put("endTime", time(to));
      s.put("endTimeL", to);
      s.put("interactiveTime", time(from + 5_000));
      s.put("interactiveTimeL", from + 5_000);
      s.put("isInteractive", true);
      s.put("endReason", "AGENT");
      s.put("duration", 120);
      s.put("type", "web");
      s.putArray("capabilities").add("MODIFY");
      s.put("agentId", a.reference());
      ObjectNode wrapper = F.objectNode();
      wrapper.putArray("coBrowseSessionsList").add(s);
      return wrapper;
    }

    private ObjectNode campaign() {
      ObjectNode c = F.objectNode();
      c.put("campaignEngagementId", String.valueOf(1_500_000 + index % 3));
      c.put("campaignEngagementName", "Help button");
      c.put("campaignId", String.valueOf(3_300_000 + index % 2));
      c.put("campaignName", "Customer service");
      c.put("goalId", "1");
      c.put("goalName", "Interact with consumers");
      c.put("engagementSource", pick("WEB_SITE", "SOCIAL_MEDIA", "APP"));
      c.put("lobId", -1);
      c.put("lobName", "Unassigned");
      return c;
    }

    private ObjectNode monitoring() {
      ObjectNode m = F.objectNode();
      String[][] countries = {
        {"United States", "US"}, {"Germany", "DE"}, {"Japan", "JP"}, {"Spain", "ES"}
      };
      String[] country = countries[r.nextInt(countries.length)];
      m.put("country", country[0]);
      m.put("countryCode", country[1]);
      m.put("isp", "Example ISP");
      m.put("ipAddress", "203.0.113." + r.nextInt(255));
      m.put("browser", "Chrome 124");
      m.put("operatingSystem", "WINDOWS");
      m.put("conversationStartPage", "https://brand.example/help?topic=" + index);
      m.put("conversationStartPageTitle", "Help & Support");
      return m;
    }
  }

  static Content.Name pickConsumer(int index, Random r) {
    int slot = index % 25;
    if (slot == 3 || slot == 8 || slot == 13 || slot == 18) {
      return Content.HOSTILE_CONSUMERS.get(slot / 5);
    }
    return Content.CONSUMERS.get(r.nextInt(Content.CONSUMERS.size()));
  }
}
