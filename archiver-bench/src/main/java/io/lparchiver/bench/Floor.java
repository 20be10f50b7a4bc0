package io.lparchiver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.model.Window;
import io.lparchiver.source.liveperson.MessagingInteractionsSource;
import io.lparchiver.source.liveperson.OAuth1Credentials;
import io.lparchiver.source.liveperson.OAuth1Signer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The least work the archiving job needs, for the benchmark's ratio: fetch the same search pages
 * from the same simulator (signed the same way), then write the same number of files of the same
 * sizes with the same durability (tmp file, fsync, atomic rename, directory fsync). Nothing else.
 *
 * <p>Usage: {@code Floor <domainApi> <account> <fromInstant> <toInstant> <referenceArchiveDir>
 * <outDir>}; the consumer key and secrets are the simulator's demo values. With {@code -} for both
 * directories it only fetches the pages: the benchmark's unmeasured warm-up of the simulator.
 */
public final class Floor {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Floor() {}

  public static void main(String[] args) throws Exception {
    URI domainApi = URI.create(args[0]);
    String account = args[1];
    Window range = new Window(Instant.parse(args[2]), Instant.parse(args[3]));
    boolean pagesOnly = args[4].equals("-");
    OAuth1Signer signer =
        OAuth1Signer.create(
            new OAuth1Credentials(
                "demo-app-key", "demo-app-secret", "demo-access-token", "demo-access-token-secret"),
            Clock.systemUTC());
    HttpClient http = HttpClient.newHttpClient();
    String host = baseUri(http, domainApi, account);
    long records = 0;
    for (Window w : range.split(MessagingInteractionsSource.MAX_WINDOW)) {
      records += fetchAll(http, signer, "http://" + host, account, w);
    }
    if (pagesOnly) {
      System.out.printf("warm-up: %d records fetched%n", records);
      return;
    }
    List<Long> sizes = fileSizes(Path.of(args[4]));
    writeFiles(Path.of(args[5]), sizes);
    System.out.printf("floor: %d records fetched, %d files written%n", records, sizes.size());
  }

  private static String baseUri(HttpClient http, URI domainApi, String account) throws Exception {
    URI uri =
        domainApi.resolve("/api/account/" + account + "/service/msgHist/baseURI.json?version=1.0");
    HttpResponse<byte[]> r =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
    return JSON.readTree(r.body()).get("baseURI").asText();
  }

  private static long fetchAll(
      HttpClient http, OAuth1Signer signer, String base, String account, Window w)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("start")
        .put("from", w.from().toEpochMilli())
        .put("to", w.to().toEpochMilli() - 1);
    body.putArray("status").add("CLOSE");
    MessagingInteractionsSource.CONTENT_TO_RETRIEVE.forEach(
        body.putArray("contentToRetrieve")::add);
    byte[] json = JSON.writeValueAsBytes(body);
    long offset = 0;
    long count = Long.MAX_VALUE;
    long records = 0;
    while (offset < count) {
      URI uri =
          URI.create(
              base
                  + "/messaging_history/api/account/"
                  + account
                  + "/conversations/search?offset="
                  + offset
                  + "&limit=100&sort=start:asc&v=2&source=lp-archiver");
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .header("Authorization", signer.authorizationHeader("POST", uri))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(json))
              .build();
      JsonNode page =
          JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body());
      count = page.path("_metadata").path("count").asLong();
      records += page.path("conversationHistoryRecords").size();
      offset += 100;
    }
    return records;
  }

  private static List<Long> fileSizes(Path archive) throws IOException {
    List<Long> sizes = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(archive)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (p.getParent().getFileName().toString().equals("new")) {
          sizes.add(Files.size(p));
        }
      }
    }
    return sizes;
  }

  private static void writeFiles(Path out, List<Long> sizes) throws IOException {
    Path tmp = Files.createDirectories(out.resolve("tmp"));
    Path dest = Files.createDirectories(out.resolve("new"));
    byte[] filler = new byte[64 * 1024];
    java.util.Arrays.fill(filler, (byte) 'x');
    int n = 0;
    for (long size : sizes) {
      Path file = tmp.resolve("f" + n);
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        for (long left = size; left > 0; left -= filler.length) {
          ch.write(ByteBuffer.wrap(filler, 0, (int) Math.min(left, filler.length)));
        }
        ch.force(true);
      }
      Files.move(file, dest.resolve("f" + n++), StandardCopyOption.ATOMIC_MOVE);
      try (FileChannel dir = FileChannel.open(dest, StandardOpenOption.READ)) {
        dir.force(true);
      }
    }
  }
}
