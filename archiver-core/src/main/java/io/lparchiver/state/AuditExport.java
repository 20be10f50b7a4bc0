package io.lparchiver.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code audit export} file, JSON lines: one {@code entry} line per audit entry, one {@code
 * signature} line per signed day, and for an Ed25519 key one {@code key} line with the public key.
 * {@link #check} reads it back without the state or the private key, by the same rules as {@code
 * verify} on the state (field meanings: docs/reliability.md).
 */
public final class AuditExport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditExport() {}

  /**
   * The outcome.
   *
   * @param entries entries read
   * @param signatures signature lines read
   * @param problems the first broken chain link, then each signature problem; empty when intact
   */
  public record Result(long entries, int signatures, List<String> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    public boolean intact() {
      return problems.isEmpty();
    }
  }

  /** How many lines of each kind {@link #write} wrote. */
  public record Written(long entries, int signatures) {}

  /**
   * Writes the state's chain, its signatures and, when given, the public key that checks them. An
   * auditor should trust that key only if its id matches one received from the operator by another
   * channel: whoever rewrites the file can also put their own key in it.
   */
  public static Written write(StateStore state, Optional<AuditPublicKey> key, Writer out) {
    long entries = state.exportAudit(e -> line(out, entry(e)));
    List<AuditSignature> signed = state.auditSignatures();
    signed.forEach(s -> line(out, signature(s)));
    key.ifPresent(k -> line(out, publicKey(k)));
    return new Written(entries, signed.size());
  }

  private static ObjectNode entry(AuditEntry e) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "entry").put("seq", e.seq()).put("at", e.at()).put("event", e.event());
    n.put("subject", e.subject()).put("detail", e.detail());
    n.put("prevHash", e.prevHash()).put("hash", e.hash());
    return n;
  }

  private static ObjectNode signature(AuditSignature s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "signature").put("day", s.day()).put("seq", s.seq()).put("hash", s.hash());
    n.put("algorithm", s.algorithm()).put("keyId", s.keyId()).put("signature", s.signature());
    return n;
  }

  private static ObjectNode publicKey(AuditPublicKey k) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", "key").put("algorithm", k.algorithm()).put("keyId", k.keyId());
    n.put("publicKey", k.pem());
    return n;
  }

  private static void line(Writer out, ObjectNode line) {
    try {
      out.write(line.toString());
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks {@code file} with {@code key}; an unreadable or malformed line is an error. Reads the
   * file twice (signatures first, then the chain), so memory does not grow with it.
   */
  public static Result check(Path file, AuditSignatureCheck key) throws IOException {
    List<AuditSignature> signatures = new ArrayList<>();
    Set<Long> signedSeqs = new HashSet<>();
    forEachLine(
        file,
        (n, line) -> {
          if ("signature".equals(line.path("type").asText())) {
            AuditSignature s =
                new AuditSignature(
                    text(line, "day", n),
                    number(line, "seq", n),
                    text(line, "hash", n),
                    text(line, "algorithm", n),
                    text(line, "keyId", n),
                    text(line, "signature", n));
            signatures.add(s);
            signedSeqs.add(s.seq());
          }
        });
    AuditLog.ChainWalk walk = new AuditLog.ChainWalk();
    List<Optional<String>> broken = new ArrayList<>(List.of(Optional.empty()));
    Map<String, Long> lastOfDay = new TreeMap<>();
    Map<Long, String> signedHashes = new HashMap<>();
    forEachLine(
        file,
        (n, line) -> {
          if (!"entry".equals(line.path("type").asText())) {
            return;
          }
          AuditEntry e =
              new AuditEntry(
                  number(line, "seq", n),
                  text(line, "at", n),
                  text(line, "event", n),
                  text(line, "subject", n),
                  text(line, "detail", n),
                  text(line, "prevHash", n),
                  text(line, "hash", n));
          if (broken.get(0).isEmpty()) {
            broken.set(0, walk.next(e));
          }
          lastOfDay.merge(AuditLog.day(e.at()), e.seq(), Math::max);
          if (signedSeqs.contains(e.seq())) {
            signedHashes.put(e.seq(), e.hash());
          }
        });
    List<String> problems = new ArrayList<>();
    broken.get(0).ifPresent(problems::add);
    problems.addAll(AuditLog.signatureProblems(lastOfDay, signedHashes, signatures, key));
    return new Result(walk.entries(), signatures.size(), problems);
  }

  private interface LineHandler {
    void accept(long lineNumber, JsonNode line);
  }

  private static void forEachLine(Path file, LineHandler handler) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              file + " line " + n + " is not JSON: is it an `audit export` file?", e);
        }
        handler.accept(n, node);
      }
    }
  }

  private static String text(JsonNode line, String field, long n) {
    JsonNode v = line.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("line " + n + ": field \"" + field + "\" is missing");
    }
    return v.asText();
  }

  private static long number(JsonNode line, String field, long n) {
    JsonNode v = line.get(field);
    if (v == null || !v.canConvertToLong()) {
      throw new IllegalArgumentException("line " + n + ": field \"" + field + "\" is missing");
    }
    return v.asLong();
  }
}
