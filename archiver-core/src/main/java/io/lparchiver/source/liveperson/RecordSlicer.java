package io.lparchiver.source.liveperson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts each element of a search answer's record array out of the response body as the exact bytes
 * LivePerson sent (whitespace, key order, escapes and all), so {@code conversation.json} is the
 * record byte for byte. It streams the body once with Jackson and uses the byte offsets of each
 * element's first and last token; nothing is re-serialised. The rest of the document is only read
 * for {@code _metadata}.
 */
final class RecordSlicer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

  private RecordSlicer() {}

  /** A page: its {@code _metadata} (missing node when absent) and its records' raw bytes. */
  record Page(JsonNode metadata, List<byte[]> records) {
    Page {
      records = List.copyOf(records);
    }

    boolean partialResult() {
      return metadata.path("shardsStatusResult").path("partialResult").asBoolean(false);
    }

    /** {@code _metadata.count}, or -1 when absent. */
    long count() {
      return Fields.number(metadata, "count").orElse(-1);
    }
  }

  /**
   * @throws IOException when the body is not one complete JSON object (e.g. a connection dropped
   *     mid-body): the caller fetches the page again
   */
  static Page slice(byte[] body, String recordsField) throws IOException {
    JsonNode metadata = MissingNode.getInstance();
    List<byte[]> records = new ArrayList<>();
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("answer is not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (recordsField.equals(field) && value == JsonToken.START_ARRAY) {
          sliceArray(parser, body, records);
        } else if ("_metadata".equals(field)) {
          metadata = JSON.readTree(parser);
        } else {
          parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new IOException("answer is not one complete JSON object");
      }
    }
    return new Page(metadata == null ? MissingNode.getInstance() : metadata, records);
  }

  private static void sliceArray(JsonParser parser, byte[] body, List<byte[]> records)
      throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new IOException("answer ends inside the record array");
      }
      if (token == JsonToken.START_OBJECT) {
        int from = Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        parser.skipChildren(); // now on the matching END_OBJECT, one byte long
        int to = Math.toIntExact(parser.currentTokenLocation().getByteOffset()) + 1;
        records.add(Arrays.copyOfRange(body, from, to));
      } else {
        // not a record object: keep what it was so the parser can report it
        records.add(JSON.readTree(parser).toString().getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
