package io.lparchiver.deliver.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UIDs a MULTIAPPEND's answer gives its messages: {@code [APPENDUID <uidvalidity> <uid-set>]}
 * (RFC 4315), the set in the order the messages were sent ({@code 801:808}, {@code 5,9:10}).
 */
final class AppendUids {

  private static final Pattern APPENDUID =
      Pattern.compile("\\[APPENDUID (\\d+) ([0-9:,]+)\\]", Pattern.CASE_INSENSITIVE);

  private AppendUids() {}

  /**
   * {@code <uidvalidity>:<uid>} for each of {@code count} messages, in order; empty when the answer
   * has no APPENDUID (no UIDPLUS) or its set does not name {@code count} UIDs.
   */
  static Optional<List<String>> of(String answer, int count) {
    Matcher m = APPENDUID.matcher(answer);
    if (!m.find()) {
      return Optional.empty();
    }
    String validity = m.group(1);
    List<String> ids = new ArrayList<>(count);
    for (String range : m.group(2).split(",")) {
      String[] ends = range.split(":", -1);
      if (ends.length > 2 || ends[0].isEmpty() || ends[ends.length - 1].isEmpty()) {
        return Optional.empty();
      }
      long first;
      long last;
      try {
        first = Long.parseLong(ends[0]);
        last = Long.parseLong(ends[ends.length - 1]);
      } catch (NumberFormatException e) {
        return Optional.empty(); // no UID is that large (32 bits): the search finds them
      }
      // a range may be written high:low (RFC 3501 seq-range); the messages took them low to high
      for (long uid = Math.min(first, last); uid <= Math.max(first, last); uid++) {
        if (ids.size() == count) {
          return Optional.empty();
        }
        ids.add(validity + ":" + uid);
      }
    }
    return ids.size() == count ? Optional.of(List.copyOf(ids)) : Optional.empty();
  }
}
