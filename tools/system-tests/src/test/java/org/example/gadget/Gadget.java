package org.example.gadget;

import java.io.Serializable;

/**
 * A serializable class outside txcenter's allow-list, standing for a deserialization gadget: a
 * provider must refuse to decode it.
 */
public final class Gadget implements Serializable {
  private static final long serialVersionUID = 1L;

  public String command = "touch /tmp/pwned";
}
