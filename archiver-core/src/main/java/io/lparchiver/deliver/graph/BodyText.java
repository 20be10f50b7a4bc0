package io.lparchiver.deliver.graph;

import io.lparchiver.model.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.owasp.html.Encoding;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * The part of an item's body that survives Exchange: its visible text. Exchange Online stores an
 * HTML body in its own rendition (adds a head with a meta charset, restyles, changes line breaks),
 * so the bytes sent never come back; the text a reader sees does. Hashing that text, with the head
 * dropped, markup removed, entities decoded and whitespace collapsed, gives a value that is equal
 * for what was sent and what Graph returns, and different once someone edits what the body says.
 */
final class BodyText {

  // No element allowed: the sanitizer keeps only text (dropping script and style contents).
  private static final PolicyFactory TEXT_ONLY = new HtmlPolicyBuilder().toFactory();
  private static final Pattern HEAD = Pattern.compile("(?is)<head\\b.*?</head\\s*>");
  private static final Pattern SPACE = Pattern.compile("[\\s\\u00A0]+");

  private BodyText() {}

  /** Hex SHA-256 of the body's visible text; {@code contentType} is Graph's "html" or "text". */
  static String sha256(String contentType, String content) {
    // replaceFirst: a document has one head, and scanning the rest of a long transcript for a
    // second one cost about as much CPU as the sanitizer
    String text =
        "html".equalsIgnoreCase(contentType)
            ? Encoding.decodeHtml(TEXT_ONLY.sanitize(HEAD.matcher(content).replaceFirst(" ")))
            : content;
    String visible = SPACE.matcher(text).replaceAll(" ").strip();
    return Sha256.of(visible.getBytes(StandardCharsets.UTF_8));
  }
}
