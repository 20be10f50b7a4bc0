package io.lparchiver.mapping;

import io.lparchiver.model.AgentUser;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MappingDecision;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Recipients;
import io.lparchiver.model.ReservedAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which mailboxes get a conversation and which address each participant shows, first match
 * wins per participant:
 *
 * <ol>
 *   <li>{@code csv}: a mapping CSV row for the participant id, login or email, or for the agent's
 *       id, pid, login or email as the user directory knows them. Explicit configuration is trusted
 *       as is; a CSV mailbox the target lacks fails loudly at delivery.
 *   <li>{@code users-api}: agents, bots, managers: the user directory's email (by id, then login
 *       name), if the target has that mailbox.
 *   <li>{@code consumer-email}: consumers: their email, if the target has that mailbox (usually
 *       not: consumers are external and only appear in the address fields).
 *   <li>{@code none}; and when nobody matched, the fallback mailbox gets the copy ({@code
 *       fallback}). Without a fallback the result is empty and the pipeline dead-letters the
 *       conversation as unmapped.
 * </ol>
 *
 * <p>{@code alwaysCopyTo} mailboxes (a journal) get every conversation, mapped or not; the
 * decisions still show who matched nobody. Thread-safe when the directories are.
 */
public final class ParticipantMapper {

  private static final Logger LOG = LoggerFactory.getLogger(ParticipantMapper.class);

  /** The participant id used for decisions that concern the whole conversation. */
  public static final String CONVERSATION = "*";

  private final MappingOverrides overrides;
  private final UserDirectory users;
  private final MailboxDirectory mailboxes;
  private final Optional<Mailbox> fallback;
  private final List<Mailbox> alwaysCopyTo;

  public ParticipantMapper(
      MappingOverrides overrides,
      UserDirectory users,
      MailboxDirectory mailboxes,
      Optional<Mailbox> fallback,
      List<Mailbox> alwaysCopyTo) {
    this.overrides = overrides;
    this.users = users;
    this.mailboxes = mailboxes;
    this.fallback = fallback;
    this.alwaysCopyTo = List.copyOf(alwaysCopyTo);
  }

  public Recipients map(Conversation conversation) {
    Map<String, Match> matches = new LinkedHashMap<>();
    for (Participant participant : conversation.participants()) {
      matches.computeIfAbsent(participant.id(), id -> match(participant, conversation.account()));
    }
    TreeSet<Mailbox> targets = new TreeSet<>();
    matches.values().forEach(m -> m.mailbox().ifPresent(targets::add));
    boolean useFallback = targets.isEmpty() && fallback.isPresent();

    List<MappingDecision> decisions = new ArrayList<>();
    Map<String, String> addresses = new LinkedHashMap<>();
    matches.forEach(
        (id, m) -> {
          addresses.put(id, m.address());
          decisions.add(useFallback ? m.toFallback(id, fallback.get()) : m.decision(id));
        });
    if (useFallback) {
      targets.add(fallback.get());
      if (matches.isEmpty()) {
        decisions.add(decision(CONVERSATION, MappingRule.FALLBACK, fallback));
      }
    }
    for (Mailbox journal : alwaysCopyTo) {
      targets.add(journal);
      decisions.add(decision(CONVERSATION, MappingRule.ALWAYS_COPY, Optional.of(journal)));
    }
    decisions.forEach(d -> LOG.debug("conversation {}: {}", conversation.id(), d));
    return new Recipients(targets, addresses, decisions);
  }

  /** How one participant matched, and the address to show for them. */
  private record Match(MappingRule rule, Optional<Mailbox> mailbox, String address) {

    MappingDecision decision(String participantId) {
      return new MappingDecision(participantId, rule.label(), mailbox, address);
    }

    MappingDecision toFallback(String participantId, Mailbox fallback) {
      return new MappingDecision(
          participantId, MappingRule.FALLBACK.label(), Optional.of(fallback), address);
    }
  }

  private Match match(Participant participant, String account) {
    Optional<AgentUser> user =
        participant.role().isInternal() ? lookUp(participant) : Optional.empty();
    Optional<Mailbox> known = knownEmail(participant, user);
    Optional<Mailbox> csv = csvMatch(participant, user);
    if (csv.isPresent()) {
      return new Match(MappingRule.CSV, csv, csv.get().address());
    }
    Optional<Mailbox> hosted = known.filter(mailboxes::exists);
    if (hosted.isPresent()) {
      MappingRule rule =
          participant.role().isInternal() ? MappingRule.USERS_API : MappingRule.CONSUMER_EMAIL;
      return new Match(rule, hosted, hosted.get().address());
    }
    String shown =
        known
            .or(() -> validEmail(participant.email()))
            .map(Mailbox::address)
            .orElseGet(() -> ReservedAddress.of(participant.id(), account));
    return new Match(MappingRule.NONE, Optional.empty(), shown);
  }

  /** Agents are known to the Users API by id or pid; login name is the second chance. */
  private Optional<AgentUser> lookUp(Participant participant) {
    return users.find(participant.id()).or(() -> participant.loginName().flatMap(users::find));
  }

  /**
   * The email that can become a mailbox: for internal users only the directory's (a record's agent
   * email is not authoritative), for consumers the one LivePerson holds.
   */
  private static Optional<Mailbox> knownEmail(Participant participant, Optional<AgentUser> user) {
    return participant.role().isInternal()
        ? validEmail(user.flatMap(AgentUser::email))
        : validEmail(participant.email());
  }

  /**
   * The first CSV row for the record's id, login or email, then the directory's id, pid, login or
   * email. A plain loop: this runs for every participant of every conversation, and mostly the CSV
   * is empty.
   */
  private Optional<Mailbox> csvMatch(Participant participant, Optional<AgentUser> user) {
    if (overrides.size() == 0) {
      return Optional.empty();
    }
    List<String> keys = new ArrayList<>(7);
    keys.add(participant.id());
    participant.loginName().ifPresent(keys::add);
    participant.email().ifPresent(keys::add);
    if (user.isPresent()) {
      AgentUser u = user.get();
      keys.add(u.id());
      keys.add(u.pid());
      keys.add(u.loginName());
      u.email().ifPresent(keys::add);
    }
    for (String key : keys) {
      Optional<Mailbox> found = overrides.find(key); // null keys find nothing
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private static Optional<Mailbox> validEmail(Optional<String> email) {
    return email.filter(Mailbox::isValid).map(Mailbox::new);
  }

  private static MappingDecision decision(
      String participantId, MappingRule rule, Optional<Mailbox> mailbox) {
    return new MappingDecision(
        participantId, rule.label(), mailbox, mailbox.map(Mailbox::address).orElse(""));
  }
}
