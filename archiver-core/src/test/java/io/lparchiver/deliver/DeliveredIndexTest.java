package io.lparchiver.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveredIndexTest {

  @Test
  void unknownUntilListedThenCertainAboutWhatIsNotThere() {
    DeliveredIndex index = new DeliveredIndex();
    assertThat(index.mayHold("ann", "<a@x>")).isEmpty();

    index.listed("ann", List.of("<a@x>", "<b@x>"));

    assertThat(index.mayHold("ann", "<a@x>")).contains(true);
    assertThat(index.mayHold("ann", "<b@x>")).contains(true);
    assertThat(index.mayHold("ann", "<c@x>")).contains(false);
    assertThat(index.mayHold("bob", "<a@x>")).isEmpty();
  }

  @Test
  void forgottenListingsAreUnknownAgainAndWhatWasRecordedStays() {
    DeliveredIndex index = new DeliveredIndex();
    index.listed("ann", List.of("<a@x>"));
    assertThat(index.mayHold("ann", "<written-elsewhere@x>")).contains(false);

    index.forgetListings();

    assertThat(index.mayHold("ann", "<written-elsewhere@x>")).isEmpty();
    index.listed("ann", List.of("<written-elsewhere@x>"));
    assertThat(index.mayHold("ann", "<written-elsewhere@x>")).contains(true);
    assertThat(index.mayHold("ann", "<a@x>")).contains(true);
  }

  @Test
  void aCopyAddedBeforeOrWhileTheFolderIsListedIsKept() {
    DeliveredIndex index = new DeliveredIndex();
    index.added("ann", "<written-during-the-listing@x>");
    assertThat(index.mayHold("ann", "<written-during-the-listing@x>")).isEmpty();

    index.listed("ann", List.of("<older@x>")); // a listing taken before that write landed

    assertThat(index.mayHold("ann", "<written-during-the-listing@x>")).contains(true);
    assertThat(index.mayHold("ann", "<older@x>")).contains(true);
  }

  @Test
  void aListingInPartsCountsOnlyWhenCompleteAndKeepsWhatWasAddedMeanwhile() {
    DeliveredIndex index = new DeliveredIndex();
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
    DeliveredIndex index = new DeliveredIndex();
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
  void foldersAreKeptApart() {
    DeliveredIndex index = new DeliveredIndex();
    index.listed("ann", List.of("<a@x>"));
    index.listed("bob", List.of());

    assertThat(index.mayHold("bob", "<a@x>")).contains(false);
    assertThat(index.mayHold("ann", "<a@x>")).contains(true);
  }

  @Test
  void neverLosesAnItemPastItsDesignLoadItOnlyAnswersMayHoldMoreOften() {
    DeliveredIndex index = new DeliveredIndex(4096);
    index.listed("ann", List.of());
    for (int i = 0; i < 3_000; i++) {
      index.added("ann", "<lp.1.conv-" + i + ".v1@lp-archiver>");
    }

    for (int i = 0; i < 3_000; i++) {
      assertThat(index.mayHold("ann", "<lp.1.conv-" + i + ".v1@lp-archiver>")).contains(true);
    }
  }

  @Test
  void falseMayHoldAnswersComeAsOftenAsTheBloomFormulaSays() {
    int bits = 1 << 16;
    int items = 5_000;
    DeliveredIndex index = new DeliveredIndex(bits);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      ids.add("<lp.1.conv-" + i + ".v1@lp-archiver>");
    }
    index.listed("ann", ids);

    int lookups = 200_000;
    long falsePositives =
        java.util.stream.IntStream.range(0, lookups)
            .filter(i -> index.mayHold("ann", "<lp.1.other-" + i + ".v1@lp-archiver>").get())
            .count();

    double expected =
        lookups
            * Math.pow(
                1 - Math.exp(-(double) DeliveredIndex.PROBES * items / bits),
                DeliveredIndex.PROBES); // about 380
    assertThat((double) falsePositives).isBetween(expected * 0.7, expected * 1.3);
  }
}
