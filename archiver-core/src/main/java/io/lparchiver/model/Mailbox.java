package io.lparchiver.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A target mailbox, identified by its SMTP address (normalised to lower case).
 *
 * @param address the address, e.g. ann.lee@brand.example
 */
public record Mailbox(String address) implements Comparable<Mailbox> {

  // Deliberately strict: the address becomes a directory name and an IMAP login.
  private static final Pattern ADDRESS =
      Pattern.compile("[A-Za-z0-9.!#$%&'*+=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,253})");

  public Mailbox {
    if (address == null || !ADDRESS.matcher(address.trim()).matches() || address.contains("..")) {
      throw new IllegalArgumentException("not a mailbox address: '" + address + "'");
    }
    address = address.trim().toLowerCase(Locale.ROOT);
  }

  public static boolean isValid(String address) {
    try {
      new Mailbox(address);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public int compareTo(Mailbox other) {
    return address.compareTo(other.address);
  }

  @Override
  public String toString() {
    return address;
  }
}
