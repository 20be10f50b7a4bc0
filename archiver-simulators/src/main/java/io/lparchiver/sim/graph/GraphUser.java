package io.lparchiver.sim.graph;

import java.util.List;
import java.util.Locale;

/**
 * A user of the simulated tenant.
 *
 * @param id object id (what Graph returns as {@code id})
 * @param userPrincipalName the UPN, usable in paths like the id
 * @param mail primary SMTP address, or null
 * @param proxyAddresses e.g. {@code SMTP:ann@x.example}, {@code smtp:alias@x.example}
 * @param hasMailbox false: mailbox paths answer 404 {@code MailboxNotEnabledForRESTAPI}
 */
public record GraphUser(
    String id,
    String userPrincipalName,
    String mail,
    List<String> proxyAddresses,
    boolean hasMailbox) {

  public GraphUser {
    proxyAddresses = List.copyOf(proxyAddresses);
  }

  /** A licensed user whose UPN and primary address are {@code address}, plus aliases. */
  public static GraphUser of(String address, String... aliases) {
    String a = address.toLowerCase(Locale.ROOT);
    List<String> proxies =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of("SMTP:" + a),
                java.util.Arrays.stream(aliases).map(x -> "smtp:" + x.toLowerCase(Locale.ROOT)))
            .toList();
    return new GraphUser(
        java.util
            .UUID
            .nameUUIDFromBytes(a.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .toString(),
        a,
        a,
        proxies,
        true);
  }

  /** The same user without an Exchange Online mailbox (unlicensed, guest, on-premises). */
  public GraphUser withoutMailbox() {
    return new GraphUser(id, userPrincipalName, mail, proxyAddresses, false);
  }

  boolean answersTo(String idOrUpn) {
    return id.equalsIgnoreCase(idOrUpn) || userPrincipalName.equalsIgnoreCase(idOrUpn);
  }

  boolean hasProxyAddress(String proxy) {
    return proxyAddresses.stream().anyMatch(p -> p.equalsIgnoreCase(proxy));
  }
}
