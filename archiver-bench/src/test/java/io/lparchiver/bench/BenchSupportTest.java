package io.lparchiver.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchSupportTest {

  @Test
  void machineCpuCountsBusyColumnsOnly() {
    // user nice system idle iowait irq softirq steal guest guest_nice, in 1/100 s
    String line = "cpu  9488503 1193293 887303 3605026 141474 0 69582 37342 0 0";

    // user + nice + system + irq + softirq; idle, iowait and steal are not this machine's work
    assertThat(BenchSupport.machineCpuSeconds(line)).isEqualTo(116386.81);
  }

  @Test
  void anOlderKernelsShorterLineStillParses() {
    assertThat(BenchSupport.machineCpuSeconds("cpu 100 0 50 900")).isEqualTo(1.5);
  }

  @Test
  void stealIsTheEighthColumn() {
    String line = "cpu  9488503 1193293 887303 3605026 141474 0 69582 37342 0 0";

    assertThat(BenchSupport.stealSeconds(line)).isEqualTo(373.42);
    assertThat(BenchSupport.stealSeconds("cpu 100 0 50 900")).isZero();
  }
}
