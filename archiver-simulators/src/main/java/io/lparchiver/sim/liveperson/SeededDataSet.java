package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The conversations and users a simulator serves: deterministic for a {@link DataSetSpec}, and
 * mutable at runtime so tests can close conversations or add late content.
 *
 * <p>Thread-safe. Seeded records are regenerated on request rather than stored; {@link #touch}
 * replaces one with a changed copy that is kept. Every record handed out is a fresh tree.
 */
public final class SeededDataSet {
  public static final String DEFAULT_ACCOUNT = "12345678";

  /** Conversations start at least this long before the end of the range, so they fit in it. */
  private static final long SPAN_MARGIN_MS = 2 * 3_600_000L;

  private static final long OPEN_WITHIN_MS = 5 * 86_400_000L;

  /**
   * One conversation with the fields searches filter and sort on. The record itself is not held:
   * {@code source} regenerates a seeded one from its index (so 200,000 conversations fit in tens of
   * MB, not GB), or copies the record a test changed.
   */
  record Entry(
      String id,
      long startL,
      long endL,
      boolean open,
      long lastUpdateL,
      Supplier<ObjectNode> source) {

    /** A fresh tree the caller may change. */
    ObjectNode record() {
      return source.get();
    }

    static Entry of(ObjectNode record, long lastUpdateL, Supplier<ObjectNode> source) {
      ObjectNode info = (ObjectNode) record.get("info");
      return new Entry(
          info.get("conversationId").asText(),
          info.get("startTimeL").asLong(),
          info.get("endTimeL").asLong(),
          "OPEN".equals(info.get("status").asText()),
          lastUpdateL,
          source);
    }

    /** A changed record: kept whole, since it can no longer be regenerated. */
    static Entry changed(ObjectNode record, long lastUpdateL) {
      return of(record, lastUpdateL, record::deepCopy);
    }
  }

  /** One legacy chat (always ended: EH serves nothing else), held like an {@link Entry}. */
  record ChatEntry(String id, long startL, long endL, long duration, Supplier<ObjectNode> source) {

    /** A fresh tree the caller may change. */
    ObjectNode record() {
      return source.get();
    }

    static ChatEntry of(ObjectNode record, Supplier<ObjectNode> source) {
      ObjectNode info = (ObjectNode) record.get("info");
      return new ChatEntry(
          info.get("engagementId").asText(),
          info.get("startTimeL").asLong(),
          info.get("endTimeL").asLong(),
          info.get("duration").asLong(),
          source);
    }

    static ChatEntry changed(ObjectNode record) {
      return of(record, record::deepCopy);
    }
  }

  /**
   * Generates record {@code i} of a spec, the same every time: each record has its own {@link
   * Random}, so record i does not depend on how many came before it or on when it is asked for.
   */
  private record Seeds(
      DataSetSpec spec, ConversationGenerator conversations, ChatGenerator chatGenerator) {

    ConversationGenerator.Generated conversation(int i) {
      Random r = new Random(spec.seed() * 1_000_003L + i);
      long end = spec.endOfRange().toEpochMilli();
      long usable = usable(spec);
      boolean open = i % 10 == 9;
      long startL;
      if (open) {
        // Conversations stay open for days, not months: open ones started recently.
        startL = end - SPAN_MARGIN_MS - (long) (r.nextDouble() * Math.min(usable, OPEN_WITHIN_MS));
      } else {
        startL = spread(spec, i, spec.conversations(), r);
      }
      return conversations.generate(i, startL, open, r, end);
    }

    ObjectNode chat(int i) {
      Random r = new Random(spec.seed() * 1_000_033L + 7_777_777L + i);
      return chatGenerator.generate(i, spread(spec, i, spec.chats(), r), r);
    }

    /** Record i of n starts in the i-th of n equal slots of the range. */
    private static long spread(DataSetSpec spec, int i, int n, Random r) {
      long usable = usable(spec);
      long first = spec.endOfRange().toEpochMilli() - spec.spanDays() * 86_400_000L;
      long slot = usable / Math.max(1, n);
      return first + usable * i / Math.max(1, n) + (long) (r.nextDouble() * slot);
    }

    private static long usable(DataSetSpec spec) {
      return Math.max(1, spec.spanDays() * 86_400_000L - SPAN_MARGIN_MS);
    }
  }

  private final String account;
  private final DataSetSpec spec;
  private final List<SimAgent> agents;
  private final List<ObjectNode> users;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, ChatEntry> chats = new LinkedHashMap<>();
  private long usersRevision = 1;

  private SeededDataSet(
      String account,
      DataSetSpec spec,
      List<SimAgent> agents,
      List<ObjectNode> users,
      List<Entry> conversations,
      List<ChatEntry> chats) {
    this.account = account;
    this.spec = spec;
    this.agents = List.copyOf(agents);
    this.users = List.copyOf(users);
    for (Entry e : conversations) {
      entries.put(e.id(), e);
    }
    for (ChatEntry c : chats) {
      this.chats.put(c.id(), c);
    }
  }

  public static SeededDataSet generate(DataSetSpec spec) {
    return generate(spec, DEFAULT_ACCOUNT);
  }

  public static SeededDataSet generate(DataSetSpec spec, String account) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(account, "account");
    Random userRandom = new Random(spec.seed());
    List<SimAgent> agents = agents(spec.agents(), userRandom);
    List<ObjectNode> users = new ArrayList<>();
    for (SimAgent a : agents) {
      if (a.inUsersApi()) {
        users.add(userEntity(a, spec.endOfRange()));
      }
    }
    List<SimAgent> humans = agents.stream().filter(a -> !a.isBot()).toList();
    SimAgent bot = agents.stream().filter(SimAgent::isBot).findFirst().orElse(null);
    Seeds seeds =
        new Seeds(
            spec,
            new ConversationGenerator(account, humans, bot),
            new ChatGenerator(account, humans));
    // Each record is generated once here for its index fields, then dropped.
    List<Entry> conversations = new ArrayList<>(spec.conversations());
    for (int i = 0; i < spec.conversations(); i++) {
      int index = i;
      ConversationGenerator.Generated g = seeds.conversation(i);
      conversations.add(
          Entry.of(g.record(), g.lastUpdateL(), () -> seeds.conversation(index).record()));
    }
    List<ChatEntry> chats = new ArrayList<>(spec.chats());
    for (int i = 0; i < spec.chats(); i++) {
      int index = i;
      chats.add(ChatEntry.of(seeds.chat(i), () -> seeds.chat(index)));
    }
    return new SeededDataSet(account, spec, agents, users, conversations, chats);
  }

  private static List<SimAgent> agents(int count, Random r) {
    List<SimAgent> agents = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Content.Name name = Content.AGENTS.get(i % Content.AGENTS.size());
      String suffix = i < Content.AGENTS.size() ? "" : String.valueOf(i / Content.AGENTS.size());
      boolean bot = i == 2;
      agents.add(agent(name, suffix, r, ids, bot ? 2 : 1, i == 1, true, i == 3));
    }
    agents.add(agent(Content.UNLISTED_AGENT, "", r, ids, 1, false, false, false));
    return agents;
  }

  private static SimAgent agent(
      Content.Name name,
      String suffix,
      Random r,
      Set<String> ids,
      int userType,
      boolean deleted,
      boolean listed,
      boolean byPid) {
    String id;
    do {
      id = String.valueOf(2_000_000_000L + r.nextInt(900_000_000));
    } while (!ids.add(id));
    String first = name.first().toLowerCase(Locale.ROOT);
    String last = name.last().toLowerCase(Locale.ROOT);
    String email = first + "." + last + suffix + "@brand.example";
    String login = userType == 2 ? first + "-" + last + suffix : first.charAt(0) + last + suffix;
    return new SimAgent(
        id,
        ConversationGenerator.uuid(r),
        login,
        name.first() + suffix,
        email,
        userType,
        deleted,
        listed,
        byPid);
  }

  /** A Users API v4 entity (reference section 5); fullName is returned empty for privacy. */
  private static ObjectNode userEntity(SimAgent a, Instant endOfRange) {
    ObjectNode u = JsonNodeFactory.instance.objectNode();
    u.put("id", a.id());
    u.put("pid", a.pid());
    u.put("deleted", a.deleted());
    u.put("loginName", a.loginName());
    u.put("fullName", "");
    u.put("nickname", a.nickname());
    u.put("email", a.email());
    u.put("isEnabled", !a.deleted());
    u.put("userTypeId", a.userTypeId());
    u.put("isApiUser", a.isBot());
    u.put("allowedAppKeys", "");
    ObjectNode memberOf = u.putObject("memberOf");
    memberOf.put("agentGroupId", "-1");
    memberOf.put("assignmentDate", "2024-01-02 09:00:00");
    u.putArray("managerOf");
    u.putArray("skillIds").add(12).add(14);
    u.putArray("profileIds").add(a.isBot() ? 4 : 3);
    u.putArray("lobIds");
    u.put("employeeId", "");
    u.put("mobileNumber", "");
    u.put("pictureUrl", "");
    u.put(
        "dateUpdated",
        ConversationGenerator.time(
            endOfRange.minus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).toEpochMilli()));
    u.put("maxChats", a.isBot() ? 100 : 3);
    u.put("maxAsyncChats", a.isBot() ? 100 : 10);
    return u;
  }

  public String account() {
    return account;
  }

  public DataSetSpec spec() {
    return spec;
  }

  /** Every agent identity used in conversations, including the one the Users API lacks. */
  public List<SimAgent> agents() {
    return agents;
  }

  /** Users API entities, deleted ones included (copies). */
  public List<ObjectNode> users() {
    return users.stream().map(ObjectNode::deepCopy).toList();
  }

  public synchronized String usersRevision() {
    return String.valueOf(usersRevision);
  }

  /** Marks the user list as changed, so an {@code If-Match} of the old revision gets 200. */
  public synchronized void bumpUsersRevision() {
    usersRevision++;
  }

  /**
   * All records (open ones too), in generation order, as copies: every one at once, so for tests of
   * small data sets; {@link #forEachConversation} holds one at a time.
   */
  public List<ObjectNode> conversations() {
    return entries().stream().map(Entry::record).toList();
  }

  /** Each record in generation order, built one at a time (for large data sets). */
  public void forEachConversation(Consumer<ObjectNode> action) {
    entries().forEach(e -> action.accept(e.record()));
  }

  public Optional<ObjectNode> conversation(String conversationId) {
    return entry(conversationId).map(Entry::record);
  }

  public synchronized List<String> closedConversationIds() {
    return entries.values().stream().filter(e -> !e.open()).map(Entry::id).toList();
  }

  public synchronized List<String> openConversationIds() {
    return entries.values().stream().filter(Entry::open).map(Entry::id).toList();
  }

  /** The internal last-update time that {@code latestUpdateTime} filters on. */
  public synchronized Instant lastUpdateTime(String conversationId) {
    return Instant.ofEpochMilli(require(conversationId).lastUpdateL());
  }

  /**
   * Changes a record and sets its last-update time, as a late post-survey answer or summary edit
   * would.
   */
  public synchronized void touch(
      String conversationId, Consumer<ObjectNode> change, Instant updateTime) {
    Objects.requireNonNull(change, "change");
    ObjectNode copy = require(conversationId).record();
    change.accept(copy);
    Entry updated = Entry.changed(copy, updateTime.toEpochMilli());
    if (!updated.id().equals(conversationId)) {
      throw new IllegalArgumentException("touch must not change the conversationId");
    }
    entries.put(conversationId, updated);
  }

  /** Closes an OPEN conversation at {@code at} (info, MAIN dialog, active agents). */
  public void closeConversation(String conversationId, Instant at) {
    long endL = at.toEpochMilli();
    touch(
        conversationId,
        rec -> {
          ObjectNode info = (ObjectNode) rec.get("info");
          long startL = info.get("startTimeL").asLong();
          info.put("status", "CLOSE");
          info.put("fullDialogStatus", "CLOSE");
          info.put("endTime", ConversationGenerator.time(endL));
          info.put("endTimeL", endL);
          info.put("duration", endL - startL);
          info.put("closeReason", "CONSUMER");
          info.put("closeReasonDescription", "CONSUMER_CLOSE");
          rec.remove("agentParticipantsActive");
          rec.withArray("dialogs")
              .forEach(
                  d -> {
                    if ("OPEN".equals(d.path("status").asText())) {
                      ((ObjectNode) d).put("status", "CLOSE");
                      ((ObjectNode) d).put("endTime", ConversationGenerator.time(endL));
                      ((ObjectNode) d).put("endTimeL", endL);
                    }
                  });
        },
        at);
  }

  /** All legacy chat records, in generation order, as copies. */
  public List<ObjectNode> chats() {
    return chatEntries().stream().map(ChatEntry::record).toList();
  }

  public synchronized List<String> chatIds() {
    return List.copyOf(chats.keySet());
  }

  /** Changes a stored chat, e.g. to mark it not yet enriched. */
  public synchronized void touchChat(String engagementId, Consumer<ObjectNode> change) {
    ChatEntry known = chats.get(engagementId);
    if (known == null) {
      throw new IllegalArgumentException("unknown chat " + engagementId);
    }
    ObjectNode copy = known.record();
    change.accept(copy);
    ChatEntry updated = ChatEntry.changed(copy);
    if (!updated.id().equals(engagementId)) {
      throw new IllegalArgumentException("touchChat must not change the engagementId");
    }
    chats.put(engagementId, updated);
  }

  synchronized List<ChatEntry> chatEntries() {
    return List.copyOf(chats.values());
  }

  synchronized Optional<ChatEntry> chatEntry(String engagementId) {
    return Optional.ofNullable(chats.get(engagementId));
  }

  /** A consistent view for one search; the records inside must not be mutated. */
  synchronized List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  synchronized Optional<Entry> entry(String conversationId) {
    return Optional.ofNullable(entries.get(conversationId));
  }

  private Entry require(String conversationId) {
    Entry e = entries.get(conversationId);
    if (e == null) {
      throw new IllegalArgumentException("unknown conversation " + conversationId);
    }
    return e;
  }
}
