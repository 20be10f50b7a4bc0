package io.lparchiver.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One conversation as parsed from a LivePerson record. The raw record travels beside it in {@link
 * FetchedConversation}; this model is what the transcript is rendered from.
 *
 * @param account LivePerson account (brand) id
 * @param id conversation id (messaging) or engagement id (chat)
 * @param channel messaging or chat
 * @param status OPEN or CLOSE as LivePerson reports it
 * @param start conversation start
 * @param end conversation end, empty while open
 * @param participants everyone who took part, consumers first
 * @param messages every message in time order
 * @param events system events (joins, transfers, dialog changes, close) in time order
 * @param surveys surveys answered
 * @param summary the agent-written summary, if any
 * @param attributes further metadata worth showing (skill, close reason, source, device...)
 */
public record Conversation(
    String account,
    String id,
    Channel channel,
    String status,
    Instant start,
    Optional<Instant> end,
    List<Participant> participants,
    List<Message> messages,
    List<ConversationEvent> events,
    List<Survey> surveys,
    Optional<String> summary,
    Map<String, String> attributes) {

  public Conversation {
    participants = List.copyOf(participants);
    messages = List.copyOf(messages);
    events = List.copyOf(events);
    surveys = List.copyOf(surveys);
    // insertion order is the display order
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public boolean isClosed() {
    return "CLOSE".equals(status);
  }

  /** Finds a participant by LivePerson id. */
  public Optional<Participant> participant(String participantId) {
    return participants.stream().filter(p -> p.id().equals(participantId)).findFirst();
  }
}
