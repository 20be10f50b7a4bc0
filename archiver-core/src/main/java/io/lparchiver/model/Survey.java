package io.lparchiver.model;

import java.util.List;

/**
 * A survey taken in the conversation (CSAT, post-conversation survey, pre-chat survey).
 *
 * @param type survey type as LivePerson names it
 * @param status survey status (e.g. FILLED)
 * @param answers questions and answers in order
 */
public record Survey(String type, String status, List<Answer> answers) {

  public Survey {
    answers = List.copyOf(answers);
  }

  /** One question and its answer. */
  public record Answer(String question, String answer) {}
}
