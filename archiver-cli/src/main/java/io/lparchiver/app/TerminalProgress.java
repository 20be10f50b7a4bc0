package io.lparchiver.app;

import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.Window;
import io.lparchiver.pipeline.SyncListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A sync on a terminal: a progress bar over the planned windows (the only total known before the
 * conversations are read, so the ETA is per window) with the counts so far as its message. Only for
 * an interactive terminal: logs and pipes get the plain per-window lines instead.
 */
final class TerminalProgress implements SyncListener, AutoCloseable {

  private final ProgressBar bar;
  private long planned;
  private long conversations;
  private long copies;
  private long duplicates;
  private long deadLetters;

  /** A bar on standard error, redrawn every half second. */
  static TerminalProgress onTerminal(String task) {
    return new TerminalProgress(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .continuousUpdate()
            .setUnit(" windows", 1));
  }

  TerminalProgress(ProgressBarBuilder builder) {
    this.bar = builder.setInitialMax(-1).build(); // indefinite until the first plan is known
  }

  /**
   * Whether a bar fits: a person is watching (a console, not a pipe or a service log) and asked for
   * none of the plain output.
   */
  static boolean wanted(boolean noProgress, boolean json) {
    return !noProgress && !json && System.console() != null;
  }

  @Override
  public synchronized void windowsPlanned(Channel channel, int windows) {
    planned += windows;
    bar.maxHint(planned);
  }

  @Override
  public synchronized void windowDone(Channel channel, Window window) {
    bar.step();
    message();
  }

  @Override
  public synchronized void conversationFound() {
    conversations++;
    message();
  }

  @Override
  public synchronized void delivered(Mailbox mailbox, long bytes) {
    copies++;
    message();
  }

  @Override
  public synchronized void duplicate() {
    duplicates++;
    message();
  }

  @Override
  public synchronized void deadLettered(String line) {
    deadLetters++;
    message();
  }

  private void message() {
    bar.setExtraMessage(
        conversations
            + " conversations, "
            + copies
            + " copies, "
            + duplicates
            + " duplicates, "
            + deadLetters
            + " dead letters");
  }

  long current() {
    return bar.getCurrent();
  }

  long max() {
    return bar.getMax();
  }

  String extraMessage() {
    return bar.getExtraMessage();
  }

  @Override
  public void close() {
    bar.close();
  }
}
