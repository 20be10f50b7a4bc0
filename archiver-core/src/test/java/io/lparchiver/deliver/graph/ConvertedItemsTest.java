package io.lparchiver.deliver.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConvertedItemsTest {

  @Test
  void keepsTheRecentRequestsWithinItsBytesAndDropsTheLeastRecentlyUsed() {
    ConvertedItems items = new ConvertedItems(400);
    items.put("a", new byte[100]);
    items.put("b", new byte[100]);
    items.put("c", new byte[100]);
    assertThat(items.get("a")).isPresent(); // a is now the most recently used
    items.put("d", new byte[100]);
    items.put("e", new byte[100]);

    assertThat(items.get("b")).as("least recently used, over the bound").isEmpty();
    assertThat(items.get("a")).isPresent();
    assertThat(items.get("e")).isPresent();
    items.put("huge", new byte[101]);
    assertThat(items.get("huge")).as("over a quarter of the bound: not kept").isEmpty();
  }

  @Test
  void anotherVersionOrRenderingOfTheSameConversationIsAnotherKey() {
    assertThat(ConvertedItems.key("<lp.1.c.v1@lp-archiver>", "aa"))
        .isNotEqualTo(ConvertedItems.key("<lp.1.c.v1@lp-archiver>", "bb"))
        .isNotEqualTo(ConvertedItems.key("<lp.1.c.v2@lp-archiver>", "aa"));
  }
}
