package io.lparchiver.app;

import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.deliver.MailboxSink;
import io.lparchiver.deliver.graph.GraphSink;
import io.lparchiver.mapping.MappingOverrides;
import io.lparchiver.model.Mailbox;
import io.lparchiver.model.SizeLimit;
import io.lparchiver.model.Window;
import io.lparchiver.source.FetchRequest;
import io.lparchiver.source.FileFetcher;
import io.lparchiver.source.SourceRecord;
import io.lparchiver.source.liveperson.LivePersonClient;
import io.lparchiver.wiring.Stages;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code check}: tests each part of the setup and prints a checklist with the fix for each. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the config, state folder, mapping CSV, LivePerson (discovery, auth, Users API)"
          + " and the target, and prints what to fix.",
      "Exit codes: 0 all passed, 2 something to fix."
    })
final class CheckCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ConfigFile config;

  /** One line of the checklist. */
  record Item(String name, Status status, String detail) {}

  enum Status {
    OK,
    FAIL,
    SKIPPED
  }

  /** A check that fails by throwing with the fix as its message. */
  @FunctionalInterface
  interface Check {
    String run() throws Exception;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Item> items = new ArrayList<>();
    ArchiverConfig cfg;
    try {
      cfg = config.load();
      items.add(new Item("config valid", Status.OK, config.toString()));
    } catch (ConfigException e) {
      items.add(new Item("config valid", Status.FAIL, e.getMessage()));
      return print(out, items);
    }
    items.add(check("state folder writable", () -> writable(cfg.state().dir(), "state.dir")));
    items.add(check("mapping CSV valid", () -> mapping(cfg)));
    LivePersonClient client = Stages.client(cfg, Clock.systemUTC());
    Item discovery =
        check(
            "LivePerson discovery reachable",
            () -> "msgHist at " + client.domainApi().baseUri("msgHist"));
    items.add(discovery);
    boolean reachable = discovery.status() == Status.OK;
    items.add(
        reachable
            ? check("LivePerson auth (a tiny search)", () -> search(client))
            : skip("LivePerson auth (a tiny search)"));
    items.add(
        reachable
            ? check(
                "Users API permission", () -> client.users().refresh().size() + " users readable")
            : skip("Users API permission"));
    if (cfg.source().liveperson().files().enabled()) {
      items.add(
          reachable
              ? check("LivePerson file download login", () -> fileLogin(cfg, client))
              : skip("LivePerson file download login"));
    }
    items.addAll(target(cfg));
    return print(out, items);
  }

  private static Item check(String name, Check check) {
    try {
      return new Item(name, Status.OK, check.run());
    } catch (Exception e) {
      return new Item(name, Status.FAIL, String.valueOf(e.getMessage()));
    }
  }

  private static Item skip(String name) {
    return new Item(name, Status.SKIPPED, "skipped: LivePerson discovery failed");
  }

  private static String writable(Path dir, String key) {
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new IllegalStateException(
          dir
              + " cannot be created or written: fix its permissions or point "
              + key
              + " at a writable folder");
    }
    return dir + (existing.equals(dir) ? " is writable" : " will be created");
  }

  private static String mapping(ArchiverConfig cfg) throws Exception {
    if (cfg.mapping().csv().isEmpty()) {
      return "no mapping.csv (Users API and fallback only)";
    }
    Path csv = cfg.mapping().csv().get();
    MappingOverrides.load(csv);
    return csv.toString();
  }

  private static String search(LivePersonClient client) {
    Instant now = Instant.now();
    try (Stream<SourceRecord> records =
        client
            .messaging()
            .fetch(FetchRequest.of(new Window(now.minus(Duration.ofMinutes(5)), now)))) {
      return records.findFirst().isPresent()
          ? "Messaging Interactions search answered with a conversation"
          : "Messaging Interactions search answered (no conversation in the last 5 minutes)";
    }
  }

  private static String fileLogin(ArchiverConfig cfg, LivePersonClient client)
      throws InterruptedException {
    try (FileFetcher files = Stages.fileFetcher(cfg, client, Clock.systemUTC())) {
      files.checkAccess();
    }
    return "user "
        + cfg.source().liveperson().files().username()
        + " logged in and the messaging websocket opened";
  }

  /**
   * Maildir: the root is writable. Graph, IMAP, SMTP: for each mailbox the config names (fallback,
   * always-copy-to) the target logs in, finds the mailbox (Graph: in the tenant) and finds or
   * creates the archive folder, as a sync would first; each failure says what to fix.
   */
  private static List<Item> target(ArchiverConfig cfg) {
    String type = cfg.target().type();
    if ("maildir".equals(type)) {
      return List.of(
          check(
              "target writable",
              () -> writable(cfg.target().maildir().root(), "target.maildir.root")));
    }
    List<Mailbox> named =
        Stream.concat(
                cfg.mapping().fallbackMailbox().stream(), cfg.mapping().alwaysCopyTo().stream())
            .distinct()
            .toList();
    if (named.isEmpty()) {
      return List.of(
          new Item(
              "target " + type,
              Status.SKIPPED,
              "no mailbox to try: name one in mapping.fallbackMailbox or mapping.alwaysCopyTo"));
    }
    MailboxSink sink;
    try {
      sink = Stages.sink(cfg, Clock.systemUTC());
    } catch (RuntimeException e) {
      return List.of(new Item("target " + type, Status.FAIL, String.valueOf(e.getMessage())));
    }
    List<Item> items = new ArrayList<>();
    try (sink) {
      for (Mailbox mailbox : named) {
        items.add(
            check(
                "target " + type + ": " + mailbox,
                () -> {
                  if (sink instanceof GraphSink graph && !graph.users().exists(mailbox)) {
                    throw new IllegalStateException(
                        mailbox
                            + " is no user or alias in the tenant: create the mailbox or change"
                            + " the mapping");
                  }
                  sink.ensureFolder(mailbox);
                  SizeLimit limit = sink.sizeLimit(mailbox);
                  return "logged in; folder '"
                      + cfg.target().folder()
                      + "' present (created if it was missing)"
                      + (limit.isNone() ? "" : "; size limit " + limit);
                }));
      }
    }
    return items;
  }

  private static int print(PrintWriter out, List<Item> items) {
    boolean ok = true;
    for (Item i : items) {
      String mark =
          switch (i.status()) {
            case OK -> "[ok]  ";
            case FAIL -> "[FAIL]";
            case SKIPPED -> "[skip]";
          };
      out.println(mark + " " + i.name() + ": " + i.detail().replace("\n", "\n         "));
      ok &= i.status() != Status.FAIL;
    }
    out.println(ok ? "All checks passed." : "Fix the [FAIL] items above, then run check again.");
    out.flush();
    return ok ? Main.OK : Main.BAD_CONFIG;
  }
}
