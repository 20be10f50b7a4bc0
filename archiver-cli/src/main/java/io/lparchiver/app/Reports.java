package io.lparchiver.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Mailbox;
import io.lparchiver.pipeline.SyncJob;
import io.lparchiver.pipeline.SyncReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Formats run results for people (tables) and machines (one JSON line). */
final class Reports {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Reports() {}

  static SyncJob.Progress progress(PrintWriter out) {
    return (source, window, soFar) -> {
      out.printf(
          "  %s %s .. %s: %d conversations so far%n",
          source.channel().label(), window.from(), window.to(), soFar);
      out.flush();
    };
  }

  static void printSummary(PrintWriter out, SyncReport r, boolean dryRun, String target) {
    out.println();
    out.println(dryRun ? "Dry run: nothing was written." : "Archived into " + target);
    out.printf("  %-28s %8d%n", "conversations", r.conversations());
    if (!dryRun) {
      out.printf("  %-28s %8d%n", "emails rendered", r.emails());
      out.printf("  %-28s %8d%n", "deliveries (copies written)", r.deliveries());
      out.printf("  %-28s %8d%n", "duplicates (already archived)", r.duplicates());
    }
    out.printf("  %-28s %8d%n", "dead letters", r.deadLetters());
    out.printf("  %-28s %8d%n", "mailboxes", r.mailboxes());
    if (!r.deliveriesPerMailbox().isEmpty()) {
      out.println();
      out.println(
          dryRun ? "  Copies per mailbox (would be written):" : "  Copies written per mailbox:");
      r.deliveriesPerMailbox().forEach((m, n) -> out.printf("    %-40s %6d%n", m.address(), n));
    }
    if (dryRun) {
      out.println();
      out.println("  Conversation -> mailboxes:");
      for (Map.Entry<String, List<Mailbox>> e : r.dryRunPlan().entrySet()) {
        out.printf(
            "    %s -> %s%n",
            e.getKey(), e.getValue().isEmpty() ? "(unmapped: dead letter)" : e.getValue());
      }
    }
    if (!r.deadLetterReasons().isEmpty()) {
      out.println();
      out.println("  Dead letters (kept in the state database; nothing was dropped):");
      r.deadLetterReasons().forEach(line -> out.println("    " + line));
    }
    out.flush();
  }

  static String json(SyncReport r, boolean dryRun) {
    ObjectNode node = JSON.createObjectNode();
    node.put("conversations", r.conversations());
    node.put("emails", r.emails());
    node.put("deliveries", r.deliveries());
    node.put("duplicates", r.duplicates());
    node.put("deadLetters", r.deadLetters());
    node.put("mailboxes", r.mailboxes());
    node.put("dryRun", dryRun);
    node.put("exitCode", r.exitCode());
    return node.toString();
  }
}
