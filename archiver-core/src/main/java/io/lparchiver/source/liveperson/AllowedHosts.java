package io.lparchiver.source.liveperson;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that may receive the signed LivePerson requests: a host is allowed when it equals an
 * entry or lies under it ({@code va.msghist.liveperson.net} under {@code liveperson.net}). The
 * Domain API names the service hosts, so without this check a poisoned or spoofed discovery answer
 * could send every signed call (and the data it returns) to a host of an attacker's choosing.
 *
 * @param entries lower-case host names or literal addresses
 */
public record AllowedHosts(List<String> entries) {

  // before LIVEPERSON: static fields initialise in order
  private static final Pattern ENTRY = Pattern.compile("[a-z0-9.:\\[\\]-]+");

  /** LivePerson's own domain: the only one a production account needs. */
  public static final AllowedHosts LIVEPERSON = new AllowedHosts(List.of("liveperson.net"));

  public AllowedHosts {
    entries =
        entries.stream()
            .map(e -> e.strip().toLowerCase(Locale.ROOT))
            .map(e -> e.startsWith(".") ? e.substring(1) : e)
            .toList();
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(
          "source.liveperson.allowedHosts: give at least one host, e.g. liveperson.net");
    }
    for (String e : entries) {
      if (e.isEmpty() || !ENTRY.matcher(e).matches()) {
        throw new IllegalArgumentException(
            "source.liveperson.allowedHosts: '" + e + "' is not a host name or address");
      }
    }
  }

  public static AllowedHosts of(String... entries) {
    return new AllowedHosts(List.of(entries));
  }

  /** Whether {@code host} (no port) equals an entry or is a subdomain of one. */
  public boolean permits(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1); // the absolute form names the same host
    }
    for (String e : entries) {
      if (h.equals(e) || h.endsWith("." + e)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return String.join(", ", entries);
  }
}
