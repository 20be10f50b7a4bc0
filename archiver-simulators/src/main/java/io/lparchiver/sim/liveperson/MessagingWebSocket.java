package io.lparchiver.sim.liveperson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent messaging websocket ({@code asyncMessagingEnt}) at {@code
 * /ws_api/account/{id}/messaging/brand/{bearer}?v=2}, answering only what an archiver needs: {@code
 * ms.GenerateURLForDownloadFile}. A bearer the Login Service does not know is refused at the
 * handshake (HTTP 401). Responses carry {@code reqId} = the request's {@code id}.
 */
final class MessagingWebSocket extends WebSocketServer {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingWebSocket.class);
  private static final Pattern PATH =
      Pattern.compile("/ws_api/account/([^/]+)/messaging/brand/([^/?]+)(\\?.*)?");

  private final String account;
  private final LoginService login;
  private final SwiftHost swift;
  private final CountDownLatch started = new CountDownLatch(1);

  MessagingWebSocket(String account, LoginService login, SwiftHost swift) {
    super(new InetSocketAddress(io.lparchiver.sim.LoopbackHttpServer.LOOPBACK, 0), 1);
    this.account = account;
    this.login = login;
    this.swift = swift;
    setReuseAddr(true);
    setTcpNoDelay(true);
    setConnectionLostTimeout(0);
  }

  /** Starts and waits until the port is bound. */
  void startAndWait() {
    start();
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("websocket server did not start within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the websocket server", e);
    }
  }

  void shutdown() {
    try {
      stop(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
      WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
    ServerHandshakeBuilder builder =
        super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    Matcher m = PATH.matcher(request.getResourceDescriptor());
    if (!m.matches() || !account.equals(m.group(1))) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "no such websocket path");
    }
    if (!login.accept(m.group(2))) {
      throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "bearer unknown or expired");
    }
    return builder;
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    LOG.debug("messaging websocket opened");
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    LOG.debug("messaging websocket closed: {} {}", code, reason);
  }

  @Override
  public void onMessage(WebSocket conn, String message) {
    ObjectNode resp = SimResponse.JSON.createObjectNode();
    resp.put("kind", "resp");
    try {
      JsonNode req = SimResponse.JSON.readTree(message);
      JsonNode id = req.path("id");
      resp.set("reqId", id.isMissingNode() ? null : id);
      if (!"req".equals(req.path("kind").asText())) {
        error(resp, 400, "kind must be req");
      } else if (!"ms.GenerateURLForDownloadFile".equals(req.path("type").asText())) {
        error(resp, 400, "unsupported request type " + req.path("type").asText());
      } else {
        String path = req.path("body").path("relativePath").asText("");
        if (path.isEmpty()) {
          error(resp, 400, "body.relativePath is required");
        } else if (!swift.mayAccess(path)) {
          error(resp, 403, "Agent not allowed");
        } else {
          resp.put("code", 200);
          ObjectNode body = resp.putObject("body");
          body.put("relativePath", path);
          body.set("queryParams", swift.sign(path));
          resp.put("type", "ms.BaseGenerateURLResponse");
        }
      }
    } catch (IOException e) {
      error(resp, 400, "request is not JSON");
    }
    try {
      conn.send(SimResponse.JSON.writeValueAsString(resp));
    } catch (IOException e) {
      LOG.warn("cannot answer on the messaging websocket", e);
    }
  }

  private static void error(ObjectNode resp, int code, String message) {
    resp.put("code", code);
    resp.put("body", message);
    resp.put("type", "ms.GenericError");
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    LOG.debug("messaging websocket error: {}", ex.toString());
  }

  @Override
  public void onStart() {
    started.countDown();
  }
}
