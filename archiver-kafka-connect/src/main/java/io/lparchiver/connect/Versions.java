package io.lparchiver.connect;

/** The plugin version that Connect shows for both connectors. */
public final class Versions {

  private Versions() {}

  public static String plugin() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
