package io.txcenter.tools.topology;

/** A command cannot run as asked; the message says why and what to do. */
public final class CliException extends RuntimeException {

  public CliException(String message) {
    super(message);
  }
}
