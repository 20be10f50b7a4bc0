package io.lparchiver.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP exchange bounded as a whole. {@link HttpRequest#timeout()} only covers the wait for the
 * response headers: a server that sends the headers and then stops sending the body would hold the
 * caller forever. Here the whole exchange, body included, gets the deadline and is cancelled (its
 * connection closed) when the deadline passes.
 */
public final class WholeExchange {

  private WholeExchange() {}

  /**
   * Sends {@code request} and reads the whole answer within {@code limit}.
   *
   * @param limitName what sets the limit (a config key), named in the timeout message
   * @throws HttpTimeoutException when the headers or the body did not arrive in time
   */
  public static <T> HttpResponse<T> send(
      HttpClient client,
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      Duration limit,
      String limitName)
      throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<T>> pending = client.sendAsync(request, handler);
    try {
      return pending.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut(limit, limitName);
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(limit, limitName); // the request's own timeout: the same limit
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }

  private static HttpTimeoutException timedOut(Duration limit, String limitName) {
    return new HttpTimeoutException(
        "no complete answer within " + limit.toMillis() + " ms (" + limitName + ")");
  }
}
