package io.txcenter.tools.topology;

/** What a command leaves for its caller: the exit code, and the line to print last. */
public record CommandOutcome(int exitCode, String lastLine) {}
