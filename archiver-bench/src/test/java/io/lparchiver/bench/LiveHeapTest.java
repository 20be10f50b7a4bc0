package io.lparchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiveHeapTest {

  /** Lines as a JDK 17 G1 writes them with -Xlog:gc, a jcmd GC.run among them. */
  private static final List<String> LOG =
      List.of(
          "[0.004s][info][gc] Using G1",
          "[1.134s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 6M->3M(64M) 26.121ms",
          "[2.418s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation)"
              + " 29M->29M(64M) 6.553ms",
          "[2.418s][info][gc] GC(2) Concurrent Mark Cycle",
          "[2.429s][info][gc] GC(2) Pause Remark 35M->35M(64M) 1.689ms",
          "[4.757s][info][gc] GC(3) Pause Full (Diagnostic Command) 13M->12M(17M) 48.175ms",
          "[5.112s][info][gc] GC(4) Pause Full (G1 Compaction Pause) 60M->40M(64M) 90.1ms",
          "[9.757s][info][gc] GC(5) Pause Full (Diagnostic Command) 33M->20M(40M) 48.175ms",
          "[14.757s][info][gc] GC(6) Pause Full (Diagnostic Command) 23M->14M(40M) 48.175ms");

  @Test
  void liveFiguresComeOnlyFromRequestedFullCollections() {
    LiveHeap.Figures f = LiveHeap.parse(LOG);

    assertThat(f.afterRequestedFullMb()).containsExactly(12L, 20L, 14L);
    assertThat(f.peakLiveMb()).isEqualTo(20);
    assertThat(f.medianLiveMb()).isEqualTo(14);
    assertThat(f.peakAfterAnyGcMb()).isEqualTo(40);
  }

  @Test
  void aLogWithoutRequestedCollectionsHasNoLiveFigure() {
    LiveHeap.Figures f = LiveHeap.parse(LOG.subList(0, 5));

    assertThat(f.afterRequestedFullMb()).isEmpty();
    assertThat(f.peakLiveMb()).isZero();
    assertThat(f.peakAfterAnyGcMb()).isEqualTo(35);
  }
}
