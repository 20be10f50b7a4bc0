package io.lparchiver.deliver.smtp;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the server's final reply to DATA. */
final class SmtpReplies {

  // Postfix "250 2.0.0 Ok: queued as 4Xyz12", Exim "250 OK id=1rAbCd-000123-XY",
  // Sendmail "250 2.0.0 4B2Ab1234 Message accepted for delivery"
  private static final Pattern QUEUED_AS = Pattern.compile("queued as ([A-Za-z0-9._-]+)");
  private static final Pattern EXIM_ID = Pattern.compile("\\bid=([A-Za-z0-9-]+)");
  private static final Pattern SENDMAIL =
      Pattern.compile("^250 [0-9.]+ ([A-Za-z0-9]+) Message accepted");

  private SmtpReplies() {}

  /** The queue id the server gave the message, when its reply names one. */
  static Optional<String> queueId(String reply) {
    if (reply == null) {
      return Optional.empty();
    }
    String text = reply.strip();
    for (Pattern p : new Pattern[] {QUEUED_AS, EXIM_ID, SENDMAIL}) {
      Matcher m = p.matcher(text);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }
}
