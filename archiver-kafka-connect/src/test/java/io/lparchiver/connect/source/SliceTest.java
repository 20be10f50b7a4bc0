package io.lparchiver.connect.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Window;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class SliceTest {

  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  @Test
  void slicesLieOnAFixedGridSoTheyKeepTheirIdentityFromDayToDay() {
    List<Slice> today =
        Slice.plan("1", List.of(Channel.MESSAGING), Instant.parse("2025-12-20T08:00:00Z"), NOW);
    List<Slice> nextWeek =
        Slice.plan(
            "1",
            List.of(Channel.MESSAGING),
            Instant.parse("2025-12-20T08:00:00Z"),
            NOW.plusSeconds(7 * 86_400));

    assertThat(today).allMatch(s -> s.from().toEpochMilli() % Slice.WIDTH.toMillis() == 0);
    assertThat(today.get(0).from()).isBeforeOrEqualTo(Instant.parse("2025-12-20T08:00:00Z"));
    assertThat(today.get(today.size() - 1).to()).as("the newest slice is open").isEmpty();
    assertThat(today.subList(0, today.size() - 1)).allMatch(s -> s.to().isPresent());
    assertThat(nextWeek.stream().map(Slice::partition))
        .containsAll(today.stream().map(Slice::partition).toList());
  }

  @Test
  void everyChannelHasItsOwnSlices() {
    List<Slice> slices =
        Slice.plan(
            "1", List.of(Channel.MESSAGING, Channel.CHAT), NOW.minusSeconds(70L * 86_400), NOW);

    assertThat(slices.stream().filter(s -> s.channel() == Channel.CHAT).count())
        .isEqualTo(slices.stream().filter(s -> s.channel() == Channel.MESSAGING).count());
    assertThat(slices.stream().map(Slice::partition).distinct()).hasSameSizeAs(slices);
  }

  @Test
  void aSliceSurvivesATaskConfiguration() {
    for (Slice s :
        Slice.plan(
            "42", List.of(Channel.MESSAGING, Channel.CHAT), NOW.minusSeconds(9_000_000), NOW)) {
      assertThat(Slice.decode("42", s.encode())).isEqualTo(s);
    }
  }

  @Test
  void theRangeIsClippedToTheBackfillStartAndToNow() {
    Slice open =
        new Slice("1", Channel.MESSAGING, Instant.parse("2026-03-01T00:00:00Z"), Optional.empty());

    assertThat(open.range(Instant.parse("2026-03-05T00:00:00Z"), NOW))
        .contains(new Window(Instant.parse("2026-03-05T00:00:00Z"), NOW));
    assertThat(open.range(NOW, NOW)).isEmpty();
  }

  @Test
  void aSlicesPartitionIsTheSameKeyAfterConnectReadsItBack() {
    // the worker's internal key converter: offsets are found by these bytes, and the REST API and
    // a restarted worker rebuild the partition map from them before asking again
    JsonConverter internal = new JsonConverter();
    internal.configure(Map.of("schemas.enable", "false"), true);
    for (Slice s :
        Slice.plan(
            "42", List.of(Channel.MESSAGING, Channel.CHAT), NOW.minusSeconds(9_000_000), NOW)) {
      byte[] written = internal.fromConnectData("", null, List.of("lp-source", s.partition()));
      Object readBack = internal.toConnectData("", written).value();

      assertThat(internal.fromConnectData("", null, readBack)).isEqualTo(written);
    }
  }

  @Test
  void anOffsetRoundTripsThroughConnectsMap() {
    SliceOffset offset = new SliceOffset(Optional.of(NOW), Optional.of(NOW.minusSeconds(60)));

    assertThat(SliceOffset.fromMap(offset.toMap())).isEqualTo(offset);
    assertThat(SliceOffset.fromMap(null)).isEqualTo(SliceOffset.NONE);
    assertThat(SliceOffset.fromMap(Map.of())).isEqualTo(SliceOffset.NONE);
    assertThatThrownBy(() -> SliceOffset.fromMap(Map.of("cursor", "yesterday")))
        .hasMessageContaining("cursor")
        .hasMessageContaining("reset the connector's offsets");
  }
}
