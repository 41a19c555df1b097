package io.txcenter.cli;

/** What a command leaves for its caller: the exit code, and the line to print last. */
record CommandOutcome(int exitCode, String lastLine) {}
