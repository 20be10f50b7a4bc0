package io.lparchiver.source.liveperson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FieldsTest {

  /** The first rule, kept as the reference: the lower-cased text is one of the sentinels. */
  private static boolean referenceSentinel(String text) {
    return Set.of("", "undefined", "null").contains(text.toLowerCase(Locale.ROOT));
  }

  @Test
  void sentinelsAreRecognisedInAnyCaseAndNothingElseIs() {
    ObjectNode node = new ObjectMapper().createObjectNode();
    for (String sentinel : List.of("", " ", "null", "NULL", "Null", " undefined ", "UnDeFiNeD")) {
      node.put("f", sentinel);
      assertThat(Fields.text(node, "f")).as(sentinel).isEmpty();
    }
    for (String text : List.of("nul", "nulls", "undefine", "n\u0130ll", "und\u0131fined", "0")) {
      node.put("f", text);
      assertThat(Fields.text(node, "f")).as(text).contains(text);
    }
  }

  @Test
  void noCharacterOutsideAsciiLowerCasesToLettersOfASentinelOnly() {
    // U+0130 lower-cases to "i" and a combining dot: the dot keeps it from ever matching
    for (char c = 0x80; c < Character.MAX_VALUE; c++) {
      String lower = String.valueOf(c).toLowerCase(Locale.ROOT);
      assertThat(!lower.chars().allMatch(l -> "nulldefi".indexOf(l) >= 0))
          .as("U+%04X lower-cases to %s", (int) c, lower)
          .isTrue();
    }
  }

  @Test
  void agreesWithTheLowerCasingRuleOnRandomSpellings() {
    Random random = new Random(20261126L);
    String odd = "\u0130\u0131\u212a\u017f\u00df";
    for (int i = 0; i < 50_000; i++) {
      char[] word = (random.nextBoolean() ? "undefined" : "null").toCharArray();
      for (int j = 0; j < word.length; j++) {
        int pick = random.nextInt(6);
        word[j] =
            pick == 0
                ? Character.toUpperCase(word[j])
                : pick == 1 ? odd.charAt(random.nextInt(odd.length())) : word[j];
      }
      String text = new String(word, 0, random.nextInt(word.length + 1));
      assertThat(Fields.isSentinel(text)).as(text).isEqualTo(referenceSentinel(text));
    }
  }
}
