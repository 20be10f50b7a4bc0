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

/**
 * The conversations and users a simulator serves: deterministic for a {@link DataSetSpec}, and
 * mutable at runtime so tests can close conversations or add late content.
 *
 * <p>Thread-safe. Stored records are never mutated in place: {@link #touch} replaces a record with
 * a changed copy, so readers can hold a reference without locking.
 */
public final class SeededDataSet {
  public static final String DEFAULT_ACCOUNT = "12345678";

  /** Conversations start at least this long before the end of the range, so they fit in it. */
  private static final long SPAN_MARGIN_MS = 2 * 3_600_000L;

  private static final long OPEN_WITHIN_MS = 5 * 86_400_000L;

  /** One stored conversation with the fields searches filter and sort on. */
  record Entry(
      String id, long startL, long endL, boolean open, long lastUpdateL, ObjectNode record) {

    static Entry of(ObjectNode record, long lastUpdateL) {
      ObjectNode info = (ObjectNode) record.get("info");
      return new Entry(
          info.get("conversationId").asText(),
          info.get("startTimeL").asLong(),
          info.get("endTimeL").asLong(),
          "OPEN".equals(info.get("status").asText()),
          lastUpdateL,
          record);
    }
  }

  /** One stored legacy chat (always ended: EH serves nothing else). */
  record ChatEntry(String id, long startL, long endL, long duration, ObjectNode record) {

    static ChatEntry of(ObjectNode record) {
      ObjectNode info = (ObjectNode) record.get("info");
      return new ChatEntry(
          info.get("engagementId").asText(),
          info.get("startTimeL").asLong(),
          info.get("endTimeL").asLong(),
          info.get("duration").asLong(),
          record);
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
    ConversationGenerator generator = new ConversationGenerator(account, humans, bot);
    long end = spec.endOfRange().toEpochMilli();
    long usable = Math.max(1, spec.spanDays() * 86_400_000L - SPAN_MARGIN_MS);
    long first = end - spec.spanDays() * 86_400_000L;
    int n = spec.conversations();
    List<Entry> conversations = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // One Random per conversation: record i does not depend on how many came before it.
      Random r = new Random(spec.seed() * 1_000_003L + i);
      boolean open = i % 10 == 9;
      long startL;
      if (open) {
        // Conversations stay open for days, not months: open ones started recently.
        startL = end - SPAN_MARGIN_MS - (long) (r.nextDouble() * Math.min(usable, OPEN_WITHIN_MS));
      } else {
        long slot = usable / Math.max(1, n);
        startL = first + usable * i / Math.max(1, n) + (long) (r.nextDouble() * slot);
      }
      ConversationGenerator.Generated g = generator.generate(i, startL, open, r, end);
      conversations.add(Entry.of(g.record(), g.lastUpdateL()));
    }
    return new SeededDataSet(
        account, spec, agents, users, conversations, chats(spec, account, humans));
  }

  /** Ended chats spread like the closed conversations, with their own seeds. */
  private static List<ChatEntry> chats(DataSetSpec spec, String account, List<SimAgent> humans) {
    ChatGenerator generator = new ChatGenerator(account, humans);
    long usable = Math.max(1, spec.spanDays() * 86_400_000L - SPAN_MARGIN_MS);
    long first = spec.endOfRange().toEpochMilli() - spec.spanDays() * 86_400_000L;
    int n = spec.chats();
    List<ChatEntry> chats = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Random r = new Random(spec.seed() * 1_000_033L + 7_777_777L + i);
      long slot = usable / Math.max(1, n);
      long startL = first + usable * i / Math.max(1, n) + (long) (r.nextDouble() * slot);
      chats.add(ChatEntry.of(generator.generate(i, startL, r)));
    }
    return chats;
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

  /** All records (open ones too), in generation order, as copies. */
  public synchronized List<ObjectNode> conversations() {
    return entries.values().stream().map(e -> e.record().deepCopy()).toList();
  }

  public synchronized Optional<ObjectNode> conversation(String conversationId) {
    return Optional.ofNullable(entries.get(conversationId)).map(e -> e.record().deepCopy());
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
    ObjectNode copy = require(conversationId).record().deepCopy();
    change.accept(copy);
    Entry updated = Entry.of(copy, updateTime.toEpochMilli());
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
  public synchronized List<ObjectNode> chats() {
    return chats.values().stream().map(c -> c.record().deepCopy()).toList();
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
    ObjectNode copy = known.record().deepCopy();
    change.accept(copy);
    ChatEntry updated = ChatEntry.of(copy);
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
