package io.lparchiver.render;

import io.lparchiver.model.Conversation;
import io.lparchiver.model.Participant;
import io.lparchiver.model.Recipients;
import io.lparchiver.model.ReservedAddress;
import io.lparchiver.model.Role;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names and addresses of the participants, shared by the headers and the transcript so both show
 * the same person the same way.
 */
final class People {

  /** Longest display name kept; LivePerson names are short, hostile ones need not be. */
  static final int MAX_NAME = 120;

  private final Map<String, Participant> byId = new LinkedHashMap<>();
  // Each transcript line names its sender and the headers and the transcript both show each
  // address: worked out once per participant, not per line (an email is rendered on one thread).
  private final Map<String, String> names = new HashMap<>();
  private final Map<String, String> checkedAddresses = new HashMap<>();
  private final Map<String, String> addresses;
  private final String account;
  private final String domain;

  People(Conversation conversation, Recipients recipients) {
    conversation.participants().forEach(p -> byId.putIfAbsent(p.id(), p));
    this.addresses = recipients.addresses();
    this.account = conversation.account();
    this.domain = ReservedAddress.domain(account);
  }

  List<Participant> all() {
    return List.copyOf(byId.values());
  }

  List<Participant> consumers() {
    return byId.values().stream().filter(p -> p.role() == Role.CONSUMER).toList();
  }

  /** Agents, bots, managers and system users: everyone on the brand's side. */
  List<Participant> internal() {
    return byId.values().stream().filter(p -> p.role().isInternal()).toList();
  }

  /** The best single-line name: display name, else login name, else the participant id. */
  String name(String participantId) {
    String name = names.get(participantId);
    if (name == null) {
      name = nameOf(participantId);
      names.put(participantId, name);
    }
    return name;
  }

  private String nameOf(String participantId) {
    Participant p = byId.get(participantId);
    if (p == null) {
      String id = Texts.oneLine(participantId, MAX_NAME);
      return id.isEmpty() ? "(unknown sender)" : id;
    }
    return name(p);
  }

  static String name(Participant p) {
    String display = Texts.oneLine(p.displayName(), MAX_NAME);
    if (!display.isEmpty()) {
      return display;
    }
    return p.loginName()
        .map(l -> Texts.oneLine(l, MAX_NAME))
        .filter(l -> !l.isEmpty())
        .orElse(Texts.oneLine(p.id(), MAX_NAME));
  }

  Optional<Participant> find(String participantId) {
    return Optional.ofNullable(byId.get(participantId));
  }

  /** The address shown for a participant: the mapped one, else a reserved non-routable one. */
  String addressOf(Participant p) throws RenderException {
    String address = checkedAddresses.get(p.id());
    if (address == null) {
      address = checkedAddressOf(p);
      checkedAddresses.put(p.id(), address);
    }
    return address;
  }

  private String checkedAddressOf(Participant p) throws RenderException {
    String mapped = addresses.get(p.id());
    if (mapped == null) {
      return invalidAddress(p.id());
    }
    if (!Texts.isAscii(mapped) || !isPlainAddress(mapped)) {
      throw new RenderException(
          "mapping gave participant '"
              + Texts.oneLine(p.id(), MAX_NAME)
              + "' the address '"
              + Texts.oneLine(mapped, MAX_NAME)
              + "', which is not a plain ASCII mailbox address");
    }
    return mapped;
  }

  /** Display name plus address, the display name RFC 2047-encoded when it is not ASCII. */
  InternetAddress internetAddress(Participant p) throws RenderException {
    return named(addressOf(p), name(p));
  }

  /** A placeholder for when a conversation has no consumer at all (From is mandatory). */
  InternetAddress unknownConsumer() {
    return named("unknown-consumer@" + domain, "Unknown consumer");
  }

  private static InternetAddress named(String address, String name) {
    return new Named(address, name, EncodedWords.needed(name) ? EncodedWords.encode(name) : null);
  }

  /** An address whose display name is encoded by {@link EncodedWords}, not by Jakarta Mail. */
  private static final class Named extends InternetAddress {
    private static final long serialVersionUID = 1L;

    Named(String address, String name, String encoded) {
      setAddress(address);
      personal = name;
      encodedPersonal = encoded;
    }
  }

  String invalidAddress(String participantId) {
    return ReservedAddress.of(participantId, account);
  }

  private static boolean isPlainAddress(String address) {
    try {
      InternetAddress parsed = new InternetAddress(address, true);
      return parsed.getPersonal() == null && address.equals(parsed.getAddress());
    } catch (AddressException e) {
      return false;
    }
  }
}
