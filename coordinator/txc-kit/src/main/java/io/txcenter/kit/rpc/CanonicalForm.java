package io.txcenter.kit.rpc;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The canonical text of RPC arguments, identical on both sides of a Hessian round trip, and its
 * SHA-256 digest: what a signed invocation commits to. Null, strings, numbers, booleans,
 * characters, enums, records (by their components), collections (lists in order, sets sorted), maps
 * (sorted by key) and arrays; any other type is refused with {@link UnsignableArgumentException},
 * so that an argument that cannot be signed fails at the caller rather than travelling unsigned.
 */
public final class CanonicalForm {

  private static final int MAX_DEPTH = 32;

  // getRecordComponents() copies its array on every call: look each record class up once
  private static final ClassValue<RecordComponent[]> COMPONENTS =
      new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
          return type.getRecordComponents();
        }
      };

  private CanonicalForm() {}

  /** The canonical text of {@code arguments}. */
  public static String of(Object[] arguments) {
    StringBuilder out = new StringBuilder(64);
    write(out, arguments == null ? new Object[0] : arguments, 0);
    return out.toString();
  }

  /** URL-safe base64 of SHA-256 over {@link #of}. */
  public static String digest(Object[] arguments) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(of(arguments).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static void write(StringBuilder out, Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new UnsignableArgumentException("nested deeper than " + MAX_DEPTH);
    }
    if (value == null) {
      out.append("n;");
    } else if (value instanceof String s) {
      // length-prefixed: no separator inside a string can be mistaken for structure
      out.append('s').append(s.length()).append(':').append(s).append(';');
    } else if (value instanceof Boolean b) {
      out.append('b').append(b).append(';');
    } else if (value instanceof Character c) {
      out.append('c').append((int) c).append(';');
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      // integral by value: Hessian may hand an int back where a long went, or the reverse
      out.append('i').append(((Number) value).longValue()).append(';');
    } else if (value instanceof BigInteger big) {
      out.append('i').append(big).append(';');
    } else if (value instanceof BigDecimal decimal) {
      out.append('d').append(decimal.toPlainString()).append(';');
    } else if (value instanceof Double || value instanceof Float) {
      // Hessian writes a float as a double
      out.append('f').append(((Number) value).doubleValue()).append(';');
    } else if (value instanceof Enum<?> e) {
      out.append('e').append(e.getDeclaringClass().getName()).append('.').append(e.name());
      out.append(';');
    } else if (value instanceof Record record) {
      writeRecord(out, record, depth);
    } else if (value instanceof Map<?, ?> map) {
      writeMap(out, map, depth);
    } else if (value instanceof Set<?> set) {
      // a set's order need not survive the round trip: sort by the elements' canonical text
      List<String> elements = new ArrayList<>(set.size());
      for (Object element : set) {
        StringBuilder one = new StringBuilder();
        write(one, element, depth + 1);
        elements.add(one.toString());
      }
      elements.sort(null);
      out.append("t").append(elements.size()).append('[');
      elements.forEach(out::append);
      out.append(']');
    } else if (value instanceof Collection<?> list) {
      out.append('l').append(list.size()).append('[');
      for (Object element : list) {
        write(out, element, depth + 1);
      }
      out.append(']');
    } else if (value.getClass().isArray()) {
      int length = Array.getLength(value);
      out.append('a').append(length).append('[');
      for (int i = 0; i < length; i++) {
        write(out, Array.get(value, i), depth + 1);
      }
      out.append(']');
    } else {
      throw new UnsignableArgumentException(
          "type [" + value.getClass().getName() + "] has no canonical form");
    }
  }

  private static void writeRecord(StringBuilder out, Record record, int depth) {
    RecordComponent[] components = COMPONENTS.get(record.getClass());
    out.append('r').append(record.getClass().getName()).append('{');
    for (RecordComponent component : components) {
      Object value;
      try {
        value = component.getAccessor().invoke(record);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new UnsignableArgumentException(
            "record ["
                + record.getClass().getName()
                + "] component ["
                + component.getName()
                + "] is not readable: "
                + e);
      }
      out.append(component.getName()).append('=');
      write(out, value, depth + 1);
    }
    out.append('}');
  }

  private static void writeMap(StringBuilder out, Map<?, ?> map, int depth) {
    List<String[]> entries = new ArrayList<>(map.size());
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      StringBuilder key = new StringBuilder();
      write(key, entry.getKey(), depth + 1);
      StringBuilder value = new StringBuilder();
      write(value, entry.getValue(), depth + 1);
      entries.add(new String[] {key.toString(), value.toString()});
    }
    entries.sort((a, b) -> a[0].compareTo(b[0]));
    out.append('m').append(entries.size()).append('{');
    for (String[] entry : entries) {
      out.append(entry[0]).append(entry[1]);
    }
    out.append('}');
  }

  /** An argument of a type that cannot be signed; the call is not sent. */
  public static final class UnsignableArgumentException extends IllegalArgumentException {
    public UnsignableArgumentException(String message) {
      super("UNSIGNABLE: " + message);
    }
  }
}
