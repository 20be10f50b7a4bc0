package io.lparchiver.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MessageKeyTest {

  /** The rule as it was written first, kept as the reference for the hand-written check. */
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private static final String ALPHABET =
      "abcxyzABCXYZ0189._:-" + " /\\@<>\"'\r\n\t\0+=,;%*" + "äßé\u00ff\u0100\u2028\uD83D\uDE00";

  @Test
  void idCheckAcceptsExactlyWhatThePatternAccepts() {
    Random random = new Random(20261126);
    int accepted = 0;
    for (int i = 0; i < 50_000; i++) {
      int length = random.nextInt(10) == 0 ? 120 + random.nextInt(16) : random.nextInt(12);
      boolean plain = random.nextBoolean(); // half from safe characters only: long ones pass too
      StringBuilder id = new StringBuilder();
      for (int j = 0; j < length; j++) {
        id.append(ALPHABET.charAt(random.nextInt(plain ? 20 : ALPHABET.length())));
      }
      String value = id.toString();
      boolean expected = SAFE_ID.matcher(value).matches();

      assertThat(MessageKey.isSafe(value)).as("'%s'", value).isEqualTo(expected);
      accepted += expected ? 1 : 0;
    }
    assertThat(accepted).isBetween(10_000, 40_000); // both outcomes well represented
    assertThat(MessageKey.isSafe(null)).isFalse();
  }

  @Test
  void anUnsafeIdIsRefusedNamingTheField() {
    assertThatThrownBy(() -> new MessageKey("123", Channel.MESSAGING, "a\r\nBcc: x", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conversationId is not a LivePerson id");
    assertThatThrownBy(() -> new MessageKey("", Channel.MESSAGING, "c1", 1))
        .hasMessageContaining("account is not a LivePerson id");
  }

  @Test
  void messageIdIsTheDeterministicForm() {
    assertThat(new MessageKey("123", Channel.MESSAGING, "c-1", 2).messageId())
        .isEqualTo("<lp.123.c-1.v2@lp-archiver>");
    assertThat(new MessageKey("123", Channel.CHAT, "9", 1).messageId())
        .isEqualTo("<lp.chat.123.9.v1@lp-archiver>");
  }
}
