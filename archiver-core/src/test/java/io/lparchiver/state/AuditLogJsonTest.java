package io.lparchiver.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The audit chain's stored detail and hashes must stay byte for byte what Jackson's data binding
 * wrote before {@link AuditLog} wrote them through the generator: existing chains must verify.
 */
class AuditLogJsonTest {

  /** The reference: how every stored detail and hash was written until then. */
  private static final ObjectMapper REFERENCE =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private static final String TEXT_ALPHABET =
      "abzAZ09 .-_/:@|\"\\'<>&{}[],\u0000\u0001\u001f\u007f\b\f\n\r\täßé€\u2028\u2029\uD83D\uDE00";

  @Test
  void detailJsonIsWhatTheMapperWrites() throws Exception {
    Random random = new Random(20261126);
    for (int i = 0; i < 20_000; i++) {
      Object detail = randomMap(random, 0);

      assertThat(AuditLog.json(detail)).isEqualTo(REFERENCE.writeValueAsString(detail));
    }
  }

  @Test
  void theShapesTheStoreWritesAreWrittenAsTheMapperDoes() throws Exception {
    Map<String, Object> delivery = new LinkedHashMap<>();
    delivery.put("mailbox", "ann@brand.example");
    delivery.put("emailSha256", "ab".repeat(32));
    delivery.put("bytes", 12_345L);
    delivery.put("targetType", "maildir");
    delivery.put("targetItemId", "1700000000.M1P2Q3_lp0123456789abcdef0123.host,S=12345");
    delivery.put("outcome", "externalised");
    delivery.put(
        "externalised",
        List.of(Map.of("fileName", "a.pdf", "bytes", 7L, "sha256", "cd".repeat(32))));
    Map<String, Object> odd = new TreeMap<>(Comparator.reverseOrder()); // kept in its own order
    odd.put("a", 1);
    odd.put("b", true);
    odd.put("c", null);
    odd.put("d", 2.5);
    Map<Object, Object> numberKeys = new HashMap<>();
    numberKeys.put(2, "two");
    numberKeys.put(10, "ten");

    for (Object detail :
        List.of(
            delivery,
            Map.of("resolved", 3),
            Map.of(),
            odd,
            Map.of("nested", odd),
            numberKeys,
            List.of(1, "x", odd))) {
      assertThat(AuditLog.json(detail)).isEqualTo(REFERENCE.writeValueAsString(detail));
    }
  }

  @Test
  void entryHashIsTheSha256OfTheJsonArrayAsBefore() throws Exception {
    Random random = new Random(7);
    String prev = AuditLog.GENESIS;
    for (int i = 0; i < 5_000; i++) {
      long seq = 1 + random.nextInt(1_000_000);
      String at = text(random);
      String event = text(random);
      String subject = text(random);
      String detail = REFERENCE.writeValueAsString(randomMap(random, 0));
      String canonical = REFERENCE.writeValueAsString(List.of(seq, at, event, subject, detail));
      String expected =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest((prev + "|" + canonical).getBytes(StandardCharsets.UTF_8)));

      String hash = AuditLog.hash(prev, seq, at, event, subject, detail);

      assertThat(hash).isEqualTo(expected);
      prev = hash;
    }
  }

  private static Map<String, Object> randomMap(Random random, int depth) {
    Map<String, Object> map = random.nextBoolean() ? new LinkedHashMap<>() : new HashMap<>();
    int size = random.nextInt(8);
    for (int i = 0; i < size; i++) {
      map.put(text(random), value(random, depth));
    }
    return random.nextInt(5) == 0 ? Map.copyOf(withoutNulls(map)) : map;
  }

  private static Object value(Random random, int depth) {
    switch (random.nextInt(depth < 2 ? 9 : 6)) {
      case 0, 1:
        return text(random);
      case 2:
        return random.nextInt();
      case 3:
        return random.nextLong();
      case 4:
        return random.nextBoolean();
      case 5:
        return null;
      case 6:
        return randomMap(random, depth + 1);
      default:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(value(random, depth + 1));
        }
        return list;
    }
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> map) {
    Map<String, Object> out = new HashMap<>();
    map.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static String text(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      s.append(TEXT_ALPHABET.charAt(random.nextInt(TEXT_ALPHABET.length())));
    }
    return s.toString();
  }
}
