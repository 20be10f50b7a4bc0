package io.lparchiver.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Which pipeline stages a kill interrupted: just before the crash harness kills {@code sync}, it
 * asks the JVM for a thread dump (SIGQUIT, printed on the process's output) and reads, for each
 * thread, the innermost lp-archiver frame. The dump is taken a few milliseconds before the kill, so
 * it tells where the threads were, not a guarantee of the exact instruction that died.
 */
final class KillStages {

  /** Where a thread of {@code sync} can be. */
  enum Stage {
    /** no pipeline frame yet: JVM start, config, opening the state store */
    STARTUP,
    /** reading pages of conversations */
    FETCH,
    /** signing and downloading hosted files */
    FILES,
    MAP,
    RENDER,
    /** writing to the target or the overflow store */
    DELIVER,
    /** ledger, versions, dead letters: state writes and reads of the pipeline */
    LEDGER,
    CHECKPOINT,
    /** pipeline frames only: waiting for lanes or the next step */
    PIPELINE
  }

  private static final String DUMP_START = "Full thread dump";
  // HotSpot ends the thread list with this line
  private static final String DUMP_END = "JNI global refs";

  private final Map<Stage, Integer> interrupted = new TreeMap<>();
  private int kills;
  private int withoutDump;

  /**
   * Takes a thread dump of {@code process} (whose output goes to {@code output}) and records the
   * stages its threads were in. Call it right before killing the process.
   */
  void beforeKill(Process process, Path output) throws IOException, InterruptedException {
    kills++;
    long offset = Files.exists(output) ? Files.size(output) : 0;
    Process quit =
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    quit.getInputStream().readAllBytes();
    quit.waitFor(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline && process.isAlive()) {
      String dump = dumpAfter(output, offset);
      if (dump != null) {
        stagesOf(dump).forEach(stage -> interrupted.merge(stage, 1, Integer::sum));
        return;
      }
      Thread.sleep(5);
    }
    withoutDump++;
  }

  private static String dumpAfter(Path output, long offset) throws IOException {
    byte[] all = Files.readAllBytes(output);
    if (all.length <= offset) {
      return null;
    }
    String text = new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
    int start = text.indexOf(DUMP_START);
    int end = start < 0 ? -1 : text.indexOf(DUMP_END, start);
    return end < 0 ? null : text.substring(start, end);
  }

  /** The stages of the threads of one dump; {@link Stage#STARTUP} when no thread is in one. */
  static Set<Stage> stagesOf(String dump) {
    Set<Stage> stages = EnumSet.noneOf(Stage.class);
    for (String thread : dump.split("\n\"")) {
      List<String> frames =
          thread
              .lines()
              .map(String::strip)
              .filter(l -> l.startsWith("at io.lparchiver."))
              .map(l -> l.substring("at ".length()))
              .toList();
      if (!frames.isEmpty()) {
        stages.add(stageOf(frames));
      }
    }
    if (stages.isEmpty()) {
      stages.add(Stage.STARTUP);
    }
    return stages;
  }

  /** The stage of a thread from its lp-archiver frames, innermost first. */
  static Stage stageOf(List<String> frames) {
    boolean inPipeline = frames.stream().anyMatch(f -> f.startsWith("io.lparchiver.pipeline."));
    for (String frame : frames) {
      if (frame.startsWith("io.lparchiver.state.StateStore.saveCheckpoint")) {
        return Stage.CHECKPOINT;
      }
      if (frame.startsWith("io.lparchiver.source.liveperson.HostedFileFetcher")
          || frame.startsWith("io.lparchiver.source.liveperson.UrlSigningSocket")) {
        return Stage.FILES;
      }
      if (frame.startsWith("io.lparchiver.source.")) {
        return Stage.FETCH;
      }
      if (frame.startsWith("io.lparchiver.mapping.")) {
        return Stage.MAP;
      }
      if (frame.startsWith("io.lparchiver.render.")) {
        return Stage.RENDER;
      }
      if (frame.startsWith("io.lparchiver.deliver.")
          || frame.startsWith("io.lparchiver.overflow.")) {
        return Stage.DELIVER;
      }
      if (frame.startsWith("io.lparchiver.state.") && inPipeline) {
        return Stage.LEDGER;
      }
    }
    return inPipeline ? Stage.PIPELINE : Stage.STARTUP;
  }

  /** Kills that caught at least one thread in each stage. */
  Map<Stage, Integer> interrupted() {
    return Map.copyOf(interrupted);
  }

  /** Pipeline stages (not start-up or waiting) that at least one kill interrupted. */
  Set<Stage> pipelineStagesReached() {
    Set<Stage> reached = EnumSet.noneOf(Stage.class);
    interrupted.keySet().stream()
        .filter(s -> s != Stage.STARTUP && s != Stage.PIPELINE)
        .forEach(reached::add);
    return reached;
  }

  @Override
  public String toString() {
    return kills
        + " kills; threads caught per stage (a kill can catch several): "
        + interrupted
        + (withoutDump > 0 ? "; no thread dump before " + withoutDump + " kills" : "");
  }
}
