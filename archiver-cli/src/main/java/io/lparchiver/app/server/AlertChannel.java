package io.lparchiver.app.server;

/** One way an alert reaches a person (a chat webhook, an email). */
interface AlertChannel {

  /** Sends one alert; throws when it could not be handed over (the caller logs the loss). */
  void send(String text) throws Exception;

  /** What to name in a log line about a lost alert; never a secret. */
  String describe();
}
