package io.lparchiver.mapping;

import java.nio.file.Path;

/** A mapping CSV that cannot be used; the message names the file, the line and the problem. */
public final class MappingFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;

  public MappingFileException(Path file, int line, String problem) {
    super(file + (line > 0 ? " line " + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, 0 when the problem concerns the whole file. */
  public int line() {
    return line;
  }
}
