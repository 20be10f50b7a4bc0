package io.lparchiver.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.lparchiver.model.AgentUser;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Conversation;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.MappingDecision;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Recipients;
import io.lparchiver.model.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParticipantMapperTest {

  static final Mailbox ANN = new Mailbox("ann.lee@brand.example");
  static final Mailbox COMPLIANCE = new Mailbox("compliance@brand.example");
  static final Mailbox UNMAPPED = new Mailbox("lp-unmapped@brand.example");
  static final Mailbox JOURNAL = new Mailbox("journal@brand.example");

  static final AgentUser ANN_USER =
      new AgentUser(
          "1001",
          "5f0c-ann-pid",
          "ann.login",
          "Ann",
          Optional.of("Ann.Lee@brand.example"),
          1,
          false);

  static final Participant ANN_AGENT = agent("1001", Optional.empty(), Optional.empty());
  static final Participant CONSUMER =
      participant("c-77", Role.CONSUMER, Optional.empty(), Optional.of("joe@customer.example"));

  /** Users known to the directory by id, pid and login, as the Users API answers. */
  static UserDirectory directory(AgentUser... users) {
    return key -> {
      for (AgentUser u : users) {
        if (key.equals(u.id()) || key.equals(u.pid()) || key.equals(u.loginName())) {
          return Optional.of(u);
        }
      }
      return Optional.empty();
    };
  }

  static MailboxDirectory hosted(Mailbox... hosted) {
    Set<Mailbox> set = Set.of(hosted);
    return set::contains;
  }

  static ParticipantMapper mapper(
      MappingOverrides csv, UserDirectory users, MailboxDirectory target) {
    return new ParticipantMapper(csv, users, target, Optional.empty(), List.of());
  }

  @Test
  void agentMapsThroughUsersApiWhenTheTargetHasTheMailbox() {
    Recipients r =
        mapper(MappingOverrides.none(), directory(ANN_USER), hosted(ANN))
            .map(conversation(CONSUMER, ANN_AGENT));

    assertThat(r.mailboxes()).containsExactly(ANN);
    assertThat(decision(r, "1001")).extracting(MappingDecision::rule).isEqualTo("users-api");
    assertThat(r.addresses())
        .containsEntry("1001", "ann.lee@brand.example")
        .containsEntry("c-77", "joe@customer.example");
    assertThat(decision(r, "c-77").rule()).isEqualTo("none");
  }

  @Test
  void csvBeatsUsersApi() {
    MappingOverrides csv = MappingOverrides.of(Map.of("1001", COMPLIANCE));

    Recipients r = mapper(csv, directory(ANN_USER), hosted(ANN)).map(conversation(ANN_AGENT));

    assertThat(r.mailboxes()).containsExactly(COMPLIANCE);
    assertThat(decision(r, "1001").rule()).isEqualTo("csv");
    assertThat(r.addresses()).containsEntry("1001", COMPLIANCE.address());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ANN.LOGIN", "5f0c-ann-pid", "ann.lee@brand.example"})
  void csvMatchesTheAgentByWhatTheDirectoryKnows(String csvKey) {
    MappingOverrides csv = MappingOverrides.of(Map.of(csvKey, COMPLIANCE));

    Recipients r = mapper(csv, directory(ANN_USER), hosted()).map(conversation(ANN_AGENT));

    assertThat(r.mailboxes()).containsExactly(COMPLIANCE);
    assertThat(decision(r, "1001").rule()).isEqualTo("csv");
  }

  @ParameterizedTest
  @ValueSource(strings = {"c-77", "JOE@customer.example"})
  void csvMatchesAConsumerByIdOrEmail(String csvKey) {
    MappingOverrides csv = MappingOverrides.of(Map.of(csvKey, COMPLIANCE));

    Recipients r = mapper(csv, UserDirectory.empty(), hosted()).map(conversation(CONSUMER));

    assertThat(r.mailboxes()).containsExactly(COMPLIANCE);
    assertThat(decision(r, "c-77").rule()).isEqualTo("csv");
  }

  @Test
  void directoryIsAskedByIdThenByLoginName() {
    Participant byLogin = agent("unknown-id", Optional.of("ann.login"), Optional.empty());

    Recipients r =
        mapper(MappingOverrides.none(), directory(ANN_USER), hosted(ANN))
            .map(conversation(byLogin));

    assertThat(r.mailboxes()).containsExactly(ANN);
    assertThat(decision(r, "unknown-id").rule()).isEqualTo("users-api");
  }

  @Test
  void deletedAgentsStillResolve() {
    AgentUser deleted =
        new AgentUser("1001", "pid", "ann.login", "Ann", Optional.of(ANN.address()), 1, true);

    Recipients r =
        mapper(MappingOverrides.none(), directory(deleted), hosted(ANN))
            .map(conversation(ANN_AGENT));

    assertThat(r.mailboxes()).containsExactly(ANN);
  }

  @Test
  void botsAndManagersMapLikeAgents() {
    AgentUser bot =
        new AgentUser("2002", "bot-pid", "bot", "Bot", Optional.of(ANN.address()), 2, false);
    Participant botParticipant = participant("2002", Role.BOT, Optional.empty(), Optional.empty());
    Participant manager = participant("1001", Role.MANAGER, Optional.empty(), Optional.empty());

    Recipients r =
        mapper(MappingOverrides.none(), directory(ANN_USER, bot), hosted(ANN))
            .map(conversation(botParticipant, manager));

    assertThat(r.decisions()).extracting(MappingDecision::rule).containsOnly("users-api");
  }

  @Test
  void directoryEmailWithoutATargetMailboxIsOnlyShown() {
    Recipients r =
        mapper(MappingOverrides.none(), directory(ANN_USER), hosted()).map(conversation(ANN_AGENT));

    assertThat(r.isEmpty()).isTrue();
    assertThat(decision(r, "1001").rule()).isEqualTo("none");
    assertThat(r.addresses()).containsEntry("1001", "ann.lee@brand.example");
  }

  @Test
  void agentEmailFromTheRecordIsShownButNotTrustedAsAMailbox() {
    Participant agent = agent("9999", Optional.empty(), Optional.of("ann.lee@brand.example"));

    Recipients r =
        mapper(MappingOverrides.none(), UserDirectory.empty(), hosted(ANN))
            .map(conversation(agent));

    assertThat(r.isEmpty()).isTrue();
    assertThat(r.addresses()).containsEntry("9999", "ann.lee@brand.example");
  }

  @Test
  void consumerWithAHostedEmailGetsACopy() {
    Mailbox employee = new Mailbox("joe@customer.example");

    Recipients r =
        mapper(MappingOverrides.none(), UserDirectory.empty(), hosted(employee))
            .map(conversation(CONSUMER));

    assertThat(r.mailboxes()).containsExactly(employee);
    assertThat(decision(r, "c-77").rule()).isEqualTo("consumer-email");
  }

  @Test
  void fallbackGetsTheCopyOnlyWhenNobodyMatched() {
    ParticipantMapper mapper =
        new ParticipantMapper(
            MappingOverrides.none(),
            directory(ANN_USER),
            hosted(ANN),
            Optional.of(UNMAPPED),
            List.of());
    Participant stranger = agent("5555", Optional.empty(), Optional.empty());

    Recipients matched = mapper.map(conversation(CONSUMER, ANN_AGENT, stranger));
    Recipients unmatched = mapper.map(conversation(CONSUMER, stranger));

    assertThat(matched.mailboxes()).containsExactly(ANN);
    assertThat(decision(matched, "5555").rule()).isEqualTo("none");
    assertThat(unmatched.mailboxes()).containsExactly(UNMAPPED);
    assertThat(unmatched.decisions())
        .allSatisfy(
            d -> {
              assertThat(d.rule()).isEqualTo("fallback");
              assertThat(d.mailbox()).contains(UNMAPPED);
            });
    assertThat(unmatched.addresses())
        .as("the fallback mailbox never poses as a participant")
        .containsEntry("5555", "5555@12345678.liveperson.invalid");
  }

  @Test
  void fallbackCoversAConversationWithoutParticipants() {
    Recipients r =
        new ParticipantMapper(
                MappingOverrides.none(),
                UserDirectory.empty(),
                hosted(),
                Optional.of(UNMAPPED),
                List.of())
            .map(conversation());

    assertThat(r.mailboxes()).containsExactly(UNMAPPED);
    assertThat(r.decisions()).extracting(MappingDecision::rule).containsExactly("fallback");
  }

  @Test
  void nothingMatchedAndNoFallbackGivesEmptyRecipients() {
    Participant stranger = agent("5555", Optional.empty(), Optional.empty());

    Recipients r =
        mapper(MappingOverrides.none(), UserDirectory.empty(), hosted())
            .map(conversation(CONSUMER, stranger));

    assertThat(r.isEmpty()).isTrue();
    assertThat(r.decisions()).extracting(MappingDecision::rule).containsOnly("none");
    assertThat(r.addresses())
        .containsEntry("5555", "5555@12345678.liveperson.invalid")
        .containsEntry("c-77", "joe@customer.example");
  }

  @Test
  void alwaysCopyToIsAddedToEveryConversation() {
    ParticipantMapper mapper =
        new ParticipantMapper(
            MappingOverrides.none(),
            directory(ANN_USER),
            hosted(ANN),
            Optional.empty(),
            List.of(JOURNAL));

    Recipients mapped = mapper.map(conversation(ANN_AGENT));
    Recipients unmapped = mapper.map(conversation(CONSUMER));

    assertThat(mapped.mailboxes()).containsExactly(ANN, JOURNAL);
    assertThat(unmapped.mailboxes()).containsExactly(JOURNAL);
    assertThat(decision(unmapped, "c-77").rule()).isEqualTo("none");
    assertThat(decision(mapped, ParticipantMapper.CONVERSATION).rule()).isEqualTo("always-copy");
  }

  @Test
  void aParticipantListedTwiceIsDecidedOnce() {
    Recipients r =
        mapper(MappingOverrides.none(), directory(ANN_USER), hosted(ANN))
            .map(conversation(ANN_AGENT, ANN_AGENT));

    assertThat(r.decisions()).hasSize(1);
    assertThat(r.mailboxes()).containsExactly(ANN);
  }

  @Test
  void unusableEmailsFallBackToTheReservedAddress() {
    Participant consumer =
        participant(
            "C 1", Role.CONSUMER, Optional.empty(), Optional.of("not an address\r\nBcc: x"));

    Recipients r =
        mapper(MappingOverrides.none(), UserDirectory.empty(), MailboxDirectory.any())
            .map(conversation(consumer));

    assertThat(r.addresses()).containsEntry("C 1", "c_1@12345678.liveperson.invalid");
  }

  static MappingDecision decision(Recipients r, String participantId) {
    return r.decisions().stream()
        .filter(d -> d.participantId().equals(participantId))
        .findFirst()
        .orElseThrow();
  }

  static Participant agent(String id, Optional<String> login, Optional<String> email) {
    return participant(id, Role.AGENT, login, email);
  }

  static Participant participant(
      String id, Role role, Optional<String> login, Optional<String> email) {
    return new Participant(id, role, "", login, email, Optional.empty(), Optional.empty());
  }

  static Conversation conversation(Participant... participants) {
    return new Conversation(
        "12345678",
        "conv-1",
        Channel.MESSAGING,
        "CLOSE",
        Instant.parse("2026-03-02T10:15:00Z"),
        Optional.empty(),
        List.of(participants),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        Map.of());
  }
}
