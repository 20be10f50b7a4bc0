package io.lparchiver.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM holds, not what it has yet to collect: every {@code interval} a full GC is requested
 * in the measured JVM ({@code jcmd <pid> GC.run}), and the heap after each one is read from its GC
 * log. The heap after a young collection, by contrast, still counts old-generation garbage that G1
 * has not marked yet, so it moves by tens of MB between runs of the same job (docs/benchmarks.md).
 */
final class LiveHeap implements AutoCloseable {

  /** "GC(12) Pause Young (Normal) (G1 Evacuation Pause) 40M->21M(64M) 3.1ms": the 21. */
  private static final Pattern AFTER = Pattern.compile("->(\\d+)M\\(");

  /** How G1 logs a full GC that {@code jcmd GC.run} asked for. */
  private static final String REQUESTED_FULL = "Pause Full (Diagnostic Command)";

  private final Thread sampler;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile boolean stopped;

  /**
   * Starts requesting full GCs of the descendant JVM whose command line contains {@code marker}.
   */
  private LiveHeap(String marker, long intervalSeconds) {
    sampler = new Thread(() -> sample(marker, intervalSeconds), "live-heap-sampler");
    sampler.setDaemon(true);
  }

  static LiveHeap every(long intervalSeconds, String marker) {
    LiveHeap heap = new LiveHeap(marker, intervalSeconds);
    heap.sampler.start();
    return heap;
  }

  /** Full GCs requested so far (some may land on a JVM that is starting or ending). */
  int requests() {
    return requests.get();
  }

  private void sample(String marker, long intervalSeconds) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    while (!stopped) {
      try {
        TimeUnit.SECONDS.sleep(intervalSeconds);
      } catch (InterruptedException e) {
        return;
      }
      Optional<ProcessHandle> jvm =
          ProcessHandle.current()
              .descendants()
              .filter(p -> p.info().commandLine().orElse("").contains(marker))
              .filter(p -> p.info().command().orElse("").endsWith("/java"))
              .findFirst();
      if (jvm.isEmpty() || stopped) {
        continue;
      }
      try {
        Process p =
            new ProcessBuilder(jcmd, Long.toString(jvm.get().pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor(2, TimeUnit.MINUTES)) {
          requests.incrementAndGet();
        } else {
          p.destroy();
        }
      } catch (IOException e) {
        return; // no jcmd: the figure will say 0 samples
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    sampler.interrupt();
    sampler.join(TimeUnit.MINUTES.toMillis(3));
  }

  /**
   * @param afterRequestedFullMb heap after each requested full GC, in log order
   * @param peakAfterAnyGcMb the old figure: the most after any collection, young ones included
   */
  record Figures(List<Long> afterRequestedFullMb, long peakAfterAnyGcMb) {

    long peakLiveMb() {
      return afterRequestedFullMb.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    long medianLiveMb() {
      List<Long> sorted = afterRequestedFullMb.stream().sorted().toList();
      return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }
  }

  /** Reads a unified GC log written with {@code -Xlog:gc}. */
  static Figures read(Path gcLog) throws IOException {
    return parse(Files.readAllLines(gcLog));
  }

  static Figures parse(List<String> gcLogLines) {
    List<Long> live = new ArrayList<>();
    long peak = 0;
    for (String line : gcLogLines) {
      Matcher m = AFTER.matcher(line);
      if (!m.find()) {
        continue;
      }
      long after = Long.parseLong(m.group(1));
      peak = Math.max(peak, after);
      if (line.contains(REQUESTED_FULL)) {
        live.add(after);
      }
    }
    return new Figures(List.copyOf(live), peak);
  }
}
