package io.lparchiver.mail;

/**
 * Names Jakarta Mail's stream provider once, by system property. Jakarta Mail 2.1 looks the
 * provider up again for every part, multipart and encoder it creates, and without the property that
 * lookup is a {@link java.util.ServiceLoader} scan that re-reads the service file from the jar
 * (jakartaee/mail-api#699, #861): about a tenth of a Graph sync's CPU in the benchmark. With the
 * property set, the lookup is a class lookup by name. A value already set is left alone.
 */
public final class MailStreams {

  static final String PROPERTY = "jakarta.mail.util.StreamProvider";
  static final String ANGUS_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

  static {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, ANGUS_PROVIDER);
    }
  }

  private MailStreams() {}

  /** Call before creating Jakarta Mail parts; the work is done once, by the class initialiser. */
  public static void pinProvider() {
    // the static initialiser above has run by the time this returns
  }
}
