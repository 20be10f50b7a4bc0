package io.lparchiver.app;

import io.lparchiver.config.ConfigException;
import io.lparchiver.pipeline.TargetFailingException;
import io.lparchiver.source.SourceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code lp-archiver} command line. Exit codes: 0 all archived, 3 some dead-lettered, 2 bad
 * config or usage, 1 internal error; {@code verify} adds 4 (not intact) and 5 (not verifiable).
 */
@Command(
    name = "lp-archiver",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Archives LivePerson conversations into mailboxes, exactly once.",
    subcommands = {
      DemoCommand.class,
      SyncCommand.class,
      ReconcileCommand.class,
      RunCommand.class,
      InitCommand.class,
      CheckCommand.class,
      StatusCommand.class,
      LogCommand.class,
      VerifyCommand.class,
      AuditCommand.class,
      SimulateCommand.class,
      ConfigReferenceCommand.class
    })
public final class Main implements Runnable {

  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;
  public static final int BAD_CONFIG = 2;
  public static final int DEAD_LETTERS = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return run(
        new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
  }

  /** Runs a command line with the given output streams and returns its exit code. */
  public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(Main::handle);
    cli.setExitCodeExceptionMapper(e -> BAD_CONFIG);
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    var err = cli.getErr();
    if (e instanceof ConfigException) {
      err.println(e.getMessage());
      return BAD_CONFIG;
    }
    if (e instanceof SourceException se) {
      err.println("LivePerson: " + se.getMessage());
      return se.kind() == SourceException.Kind.RETRIES_EXHAUSTED ? INTERNAL_ERROR : BAD_CONFIG;
    }
    if (e instanceof TargetFailingException) {
      err.println("lp-archiver " + e.getMessage());
      return INTERNAL_ERROR;
    }
    err.println("lp-archiver failed: " + e);
    e.printStackTrace(err);
    return INTERNAL_ERROR;
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"lp-archiver " + (v == null ? "development build" : v)};
    }
  }
}
