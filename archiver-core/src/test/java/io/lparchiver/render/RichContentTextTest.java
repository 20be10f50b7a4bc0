package io.lparchiver.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RichContentTextTest {

  @Test
  void shouldRenderKnownElementsDepthFirst() {
    RichContentText.Result result = RichContentText.card(Fixtures.RICH_CARD);

    assertThat(result.complete()).isTrue();
    assertThat(result.lines())
        .containsExactly(
            "Your order",
            "[Image: Product] https://img.example/p.png",
            "[Button: Track → https://track.example/1]",
            "[Button: Agent → talk to agent]",
            "[Map: 52.37,4.89]",
            "(Store)",
            "☐ Gift wrap");
  }

  @Test
  void shouldKeepTextOfUnknownElementsAndReportIncomplete() {
    RichContentText.Result result = RichContentText.card(Fixtures.RICH_UNKNOWN);

    assertThat(result.complete()).isFalse();
    assertThat(result.lines()).containsExactly("Pick a slot", "[datePicker: Appointment choose]");
  }

  @Test
  void shouldShowInvalidJsonAsItIs() {
    assertThat(RichContentText.card("{\"type\":\"text\",").lines())
        .containsExactly("{\"type\":\"text\",");
  }

  @Test
  void shouldRenderSubmitButtonsAndQuickReplies() {
    String list =
        "{\"type\":\"buttonList\",\"elements\":[{\"type\":\"submitButton\",\"title\":\"Send\","
            + "\"actions\":[{\"type\":\"submitAsText\"}]}]}";

    assertThat(RichContentText.card(list).lines()).containsExactly("[Button: Send → submit]");
    assertThat(RichContentText.quickReplies(Fixtures.QUICK_REPLIES))
        .isEqualTo("[Quick replies: Yes | No]");
    assertThat(RichContentText.quickReplies("nope")).isEqualTo("[Quick replies: nope]");
  }

  @Test
  void shouldStopAtHostileNestingWithoutFailing() {
    String deep = "[".repeat(200) + "]".repeat(200);

    RichContentText.Result result = RichContentText.card(deep);

    assertThat(result.complete()).isFalse();
    assertThat(result.lines()).isNotEmpty();
  }
}
