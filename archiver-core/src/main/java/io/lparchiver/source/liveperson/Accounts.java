package io.lparchiver.source.liveperson;

import java.util.regex.Pattern;

/** The account id goes into URL paths and Message-IDs, so only LivePerson's id shape passes. */
final class Accounts {

  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private Accounts() {}

  static String requireValid(String account) {
    if (account == null || !ACCOUNT.matcher(account).matches()) {
      throw new IllegalArgumentException(
          "source.liveperson.account must be a LivePerson account id (digits), was '"
              + account
              + "'");
    }
    return account;
  }
}
