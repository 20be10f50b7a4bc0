package io.lparchiver.render;

import io.lparchiver.model.Message;

/** Names of the attachments; ASCII only, so no RFC 2231 parameter encoding is ever needed. */
public final class Attachments {

  static final String RECORD_NAME = "conversation.json";
  private static final int MAX_NAME = 100;

  private Attachments() {}

  static String richName(Message m) {
    return "richcontent-" + m.seq() + ".json";
  }

  /** A file name safe in a MIME parameter and on every file system. */
  public static String fileName(String untrusted) {
    String base = Texts.oneLine(untrusted);
    base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
    String name = base.replaceAll("[^A-Za-z0-9._ ()-]", "_");
    name = name.replaceAll("^[. ]+", "");
    if (name.length() > MAX_NAME) {
      name = name.substring(name.length() - MAX_NAME);
    }
    return name.isBlank() ? "file" : name;
  }
}
