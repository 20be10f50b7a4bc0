package io.lparchiver.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveredIndexTest {

  @Test
  void unknownUntilListedThenCertainAboutWhatIsNotThere() {
    DeliveredIndex index = new DeliveredIndex(8);
    assertThat(index.mayHold("ann", "<a@x>")).isEmpty();

    index.listed("ann", List.of("<a@x>", "<b@x>"));

    assertThat(index.mayHold("ann", "<a@x>")).contains(true);
    assertThat(index.mayHold("ann", "<b@x>")).contains(true);
    assertThat(index.mayHold("ann", "<c@x>")).contains(false);
    assertThat(index.mayHold("bob", "<a@x>")).isEmpty();
  }

  @Test
  void aCopyAddedBeforeOrWhileTheFolderIsListedIsKept() {
    DeliveredIndex index = new DeliveredIndex(8);
    index.added("ann", "<written-during-the-listing@x>");
    assertThat(index.mayHold("ann", "<written-during-the-listing@x>")).isEmpty();

    index.listed("ann", List.of("<older@x>")); // a listing taken before that write landed

    assertThat(index.mayHold("ann", "<written-during-the-listing@x>")).contains(true);
    assertThat(index.mayHold("ann", "<older@x>")).contains(true);
  }

  @Test
  void aListingInPartsCountsOnlyWhenCompleteAndKeepsWhatWasAddedMeanwhile() {
    DeliveredIndex index = new DeliveredIndex(8);
    DeliveredIndex.Listing listing = index.listing("ann");
    listing.add("<page-1@x>");
    assertThat(index.mayHold("ann", "<page-1@x>")).as("half a listing proves nothing").isEmpty();
    index.added("ann", "<written-meanwhile@x>");
    listing.add("<page-2@x>");

    listing.complete();

    assertThat(index.mayHold("ann", "<page-1@x>")).contains(true);
    assertThat(index.mayHold("ann", "<page-2@x>")).contains(true);
    assertThat(index.mayHold("ann", "<written-meanwhile@x>")).contains(true);
    assertThat(index.mayHold("ann", "<never@x>")).contains(false);
  }

  @Test
  void holdsManyIdsWithoutLosingAny() {
    DeliveredIndex index = new DeliveredIndex(8);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      ids.add("<lp.1.conv-" + i + ".v1@lp-archiver>");
    }
    index.listed("ann", ids.subList(0, 25_000));
    ids.subList(25_000, 50_000).forEach(id -> index.added("ann", id));

    assertThat(ids).allSatisfy(id -> assertThat(index.mayHold("ann", id)).contains(true));
    long falsePositives =
        java.util.stream.IntStream.range(0, 50_000)
            .filter(i -> index.mayHold("ann", "<lp.1.other-" + i + ".v1@lp-archiver>").get())
            .count();
    assertThat(falsePositives).isLessThan(5);
  }

  @Test
  void keepsOnlyTheMostRecentlyUsedFolders() {
    DeliveredIndex index = new DeliveredIndex(2);
    index.listed("ann", List.of("<a@x>"));
    index.listed("bob", List.of("<b@x>"));
    index.mayHold("ann", "<a@x>"); // ann used last
    index.listed("cy", List.of("<c@x>"));

    assertThat(index.mayHold("bob", "<b@x>")).isEmpty(); // dropped: listed again when needed
    assertThat(index.mayHold("ann", "<a@x>")).contains(true);
    assertThat(index.mayHold("cy", "<c@x>")).contains(true);
  }

  @Test
  void dropsTheLeastRecentlyUsedFoldersPastTheItemBoundButNotTheOneBeingFilled() {
    DeliveredIndex index = new DeliveredIndex(8, 3);
    index.listed("ann", List.of("<a1@x>", "<a2@x>"));
    index.listed("bob", List.of("<b1@x>"));

    index.added("cy", "<c1@x>"); // 4 items: ann, the eldest, goes

    assertThat(index.mayHold("ann", "<a1@x>")).isEmpty(); // listed again when needed
    assertThat(index.mayHold("bob", "<b1@x>")).contains(true);

    index.listed("cy", List.of("<c2@x>", "<c3@x>", "<c4@x>")); // alone over the bound: kept
    assertThat(index.mayHold("bob", "<b1@x>")).isEmpty();
    assertThat(index.mayHold("cy", "<c1@x>")).contains(true);
    assertThat(index.mayHold("cy", "<c4@x>")).contains(true);
    assertThat(index.mayHold("cy", "<c5@x>")).contains(false);
  }
}
