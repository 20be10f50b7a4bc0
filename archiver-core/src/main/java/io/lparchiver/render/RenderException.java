package io.lparchiver.render;

/**
 * A conversation version could not be rendered into an email. The message names the conversation
 * and what was wrong; the pipeline dead-letters the conversation at the render stage.
 */
public class RenderException extends Exception {

  private static final long serialVersionUID = 1L;

  public RenderException(String message) {
    super(message);
  }

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
