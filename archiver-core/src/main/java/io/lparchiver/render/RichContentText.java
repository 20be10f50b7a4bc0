package io.lparchiver.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns LivePerson structured content (rich content cards, quick replies) into readable lines,
 * following the fallback rules of the LivePerson reference, section 7: walk depth-first, show each
 * element's text, and never drop a message. {@code complete} is false when an element type was not
 * understood, so the caller attaches the JSON.
 */
final class RichContentText {

  /** Readable lines and whether every element was understood. */
  record Result(List<String> lines, boolean complete) {
    Result {
      lines = List.copyOf(lines);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  // Hostile input can nest deeply; past this the rest counts as not understood.
  private static final int MAX_DEPTH = 64;
  private static final Set<String> CONTAINERS =
      Set.of(
          "vertical",
          "horizontal",
          "carousel",
          "list",
          "sectionList",
          "section",
          "checklist",
          "buttonList");
  private static final List<String> TEXT_FIELDS =
      List.of("title", "text", "caption", "tooltip", "label", "url", "uri");

  private RichContentText() {}

  /** Renders a rich content card (a JSON string); invalid JSON is shown as it is. */
  static Result card(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return new Result(rawLines(json), true);
    }
    if (root == null || root.isMissingNode()) {
      return new Result(rawLines(json), true);
    }
    Walk walk = new Walk();
    walk.node(root, 0);
    if (walk.lines.isEmpty()) {
      walk.lines.add("[Rich content without text]");
    }
    return new Result(walk.lines, walk.complete);
  }

  /** Renders quick replies as {@code [Quick replies: Yes | No]}. */
  static String quickReplies(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<String> titles = new ArrayList<>();
      for (JsonNode reply : root == null ? JSON.createArrayNode() : root.path("replies")) {
        titles.add(Texts.oneLine(firstText(reply)));
      }
      return "[Quick replies: " + String.join(" | ", titles) + "]";
    } catch (JsonProcessingException e) {
      return "[Quick replies: " + Texts.oneLine(json) + "]";
    }
  }

  private static List<String> rawLines(String json) {
    return Texts.lines(json);
  }

  private static String firstText(JsonNode node) {
    for (String field : TEXT_FIELDS) {
      if (node.path(field).isValueNode()) {
        return node.path(field).asText();
      }
    }
    return "";
  }

  /** One depth-first traversal. */
  private static final class Walk {
    private final List<String> lines = new ArrayList<>();
    private boolean complete = true;

    void node(JsonNode node, int depth) {
      if (depth > MAX_DEPTH) {
        complete = false;
        return;
      }
      if (node.isArray()) {
        node.forEach(child -> node(child, depth + 1));
      } else if (node.isObject()) {
        element(node, node.path("type").asText(""), depth);
      } else if (node.isValueNode() && !node.asText().isEmpty()) {
        complete = false;
        addText(node.asText());
      }
    }

    private void element(JsonNode node, String type, int depth) {
      switch (type) {
        case "text" -> addText(node.path("text").asText(""));
        case "image" ->
            add("[Image: " + one(node, "caption") + "] " + one(node, "url"), node, "caption");
        case "button", "submitButton" -> add(button(node), node, "title");
        case "map" -> add("[Map: " + one(node, "la") + "," + one(node, "lo") + "]", node, "");
        case "checkbox" -> lines.add("☐ " + one(node, "text"));
        case "quickReplies" -> lines.add(quickReplies(node.toString()));
        default -> {
          if (!CONTAINERS.contains(type)) {
            unknown(node);
          }
        }
      }
      if (node.has("elements")) {
        node(node.path("elements"), depth + 1);
      }
    }

    // Keeps a tooltip that says more than the element's main text (often the only label).
    private void add(String line, JsonNode node, String mainField) {
      lines.add(line);
      String tooltip = one(node, "tooltip");
      if (!tooltip.isEmpty() && !tooltip.equals(one(node, mainField))) {
        lines.add("(" + tooltip + ")");
      }
    }

    private void unknown(JsonNode node) {
      complete = false;
      String type = Texts.oneLine(node.path("type").asText("?"), 60);
      List<String> texts = new ArrayList<>();
      for (String field : TEXT_FIELDS) {
        if (node.path(field).isValueNode()) {
          texts.add(Texts.oneLine(node.path(field).asText()));
        }
      }
      lines.add("[" + (type.isEmpty() ? "element" : type) + ": " + String.join(" ", texts) + "]");
    }

    private void addText(String text) {
      lines.addAll(Texts.lines(text));
    }

    private static String button(JsonNode node) {
      String target = action(node.path("click").path("actions"));
      if (target.isEmpty()) {
        target = action(node.path("actions"));
      }
      String title = one(node, "title");
      return "[Button: " + title + (target.isEmpty() ? "" : " → " + target) + "]";
    }

    private static String action(JsonNode actions) {
      for (JsonNode action : actions) {
        switch (action.path("type").asText("")) {
          case "link" -> {
            return one(action, "uri");
          }
          case "publishText" -> {
            return one(action, "text");
          }
          case "navigate" -> {
            return "map " + one(action, "la") + "," + one(action, "lo");
          }
          case "submitAsText" -> {
            return "submit";
          }
          default -> {
            // try the next action
          }
        }
      }
      return "";
    }

    private static String one(JsonNode node, String field) {
      return Texts.oneLine(node.path(field).asText(""));
    }
  }
}
