package io.lparchiver.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The least work of archiving over IMAP, for the IMAP benchmark's ratio: one plain connection per
 * mailbox, all mailboxes at once, each APPENDing the already rendered messages of that mailbox
 * (taken from a Maildir archive that lp-archiver wrote) with {@code \Seen}. No fetching, rendering,
 * lookups or bookkeeping.
 *
 * <p>Usage: {@code ImapFloor <port> <masterUser> <masterPassword> <archiveRoot> <folder>}; logs in
 * on 127.0.0.1 as {@code <mailbox>*<masterUser>}.
 */
public final class ImapFloor {

  private ImapFloor() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String master = args[1];
    String password = args[2];
    Path archive = Path.of(args[3]);
    String folder = args[4];
    List<Path> mailboxes = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(archive)) {
      dirs.forEach(mailboxes::add);
    }
    ExecutorService pool = Executors.newFixedThreadPool(mailboxes.size());
    List<Future<Integer>> appended = new ArrayList<>();
    for (Path mailbox : mailboxes) {
      appended.add(
          pool.submit(
              () ->
                  appendAll(
                      port,
                      mailbox.getFileName() + "*" + master,
                      password,
                      folder,
                      messages(mailbox.resolve(".INBOX." + folder).resolve("new")))));
    }
    int total = 0;
    for (Future<Integer> f : appended) {
      total += f.get();
    }
    pool.shutdown();
    System.out.printf(
        "imap floor: %d messages appended into %d mailboxes%n", total, mailboxes.size());
  }

  private static List<Path> messages(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
      list.forEach(files::add);
    }
    return files;
  }

  private static int appendAll(
      int port, String login, String password, String folder, List<Path> messages)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      readLine(in); // greeting
      command(in, out, "a1 LOGIN " + quoted(login) + " " + quoted(password));
      String separator = separator(in, out);
      String name = quoted("INBOX" + separator + folder);
      command(in, out, "a2 CREATE " + name, true);
      int tag = 3;
      for (Path message : messages) {
        byte[] bytes = Files.readAllBytes(message);
        // a synchronising literal, as Jakarta Mail sends it: wait for "+" before the bytes
        write(out, "a" + tag + " APPEND " + name + " (\\Seen) {" + bytes.length + "}");
        String go = readLine(in);
        if (!go.startsWith("+")) {
          throw new IOException("APPEND refused: " + go);
        }
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        awaitTagged(in, "a" + tag++, false);
      }
      command(in, out, "a" + tag + " LOGOUT");
      return messages.size();
    }
  }

  private static String separator(InputStream in, OutputStream out) throws IOException {
    write(out, "s1 LIST \"\" \"\"");
    String separator = ".";
    for (String line = readLine(in); !line.startsWith("s1 "); line = readLine(in)) {
      int open = line.indexOf(") \"");
      if (line.startsWith("* LIST") && open > 0) {
        separator = line.substring(open + 3, open + 4);
      }
    }
    return separator;
  }

  private static void command(InputStream in, OutputStream out, String line) throws IOException {
    command(in, out, line, false);
  }

  private static void command(InputStream in, OutputStream out, String line, boolean mayFail)
      throws IOException {
    write(out, line);
    awaitTagged(in, line.substring(0, line.indexOf(' ')), mayFail);
  }

  private static void awaitTagged(InputStream in, String tag, boolean mayFail) throws IOException {
    for (String line = readLine(in); ; line = readLine(in)) {
      if (line.startsWith(tag + " ")) {
        if (!mayFail && !line.startsWith(tag + " OK")) {
          throw new IOException(line);
        }
        return;
      }
    }
  }

  private static void write(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection after: " + line);
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
