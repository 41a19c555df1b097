package io.txcenter.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.txcenter.outbox.api.ConsumerException;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.EventMessageCheck;
import io.txcenter.outbox.api.OutboxMessage;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One kind of event: its name on the wire, its record type (a plain record of the producer's api
 * jar), and its routing (topic, and tags fixed or derived from the event). The payload is the JSON
 * object {@code {"event": <name>, <component>: <value>, …}}, components in declaration order, each
 * as Jackson writes it; consumers read it back with {@link #read}.
 */
public final class EventType<T extends Record> {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Class<T> type;
  private final String topic;
  private final Function<T, List<String>> tags;
  private final RecordComponent[] components;
  private final Constructor<T> constructor;

  private EventType(String name, Class<T> type, String topic, Function<T, List<String>> tags) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.topic = topic;
    this.tags = tags;
    this.components = type.getRecordComponents();
    try {
      this.constructor =
          type.getDeclaredConstructor(
              Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("no canonical constructor in " + type.getName(), e);
    }
  }

  /** An event of {@code type} named {@code name}, published on {@code topic} with {@code tags}. */
  public static <T extends Record> EventType<T> of(
      String name, Class<T> type, String topic, String... tags) {
    List<String> fixed = List.of(tags);
    return new EventType<>(name, type, topic, event -> fixed);
  }

  /** As {@link #of(String, Class, String, String...)}, with tags that depend on the event. */
  public static <T extends Record> EventType<T> of(
      String name, Class<T> type, String topic, Function<T, List<String>> tags) {
    return new EventType<>(name, type, topic, tags);
  }

  /**
   * The reading side of an event of {@code type}: no routing, for a consumer, which receives
   * whatever its subscription matched.
   */
  public static <T extends Record> EventType<T> reader(String name, Class<T> type) {
    return new EventType<>(name, type, null, event -> List.of());
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  public String topic() {
    return topic;
  }

  /** {@code event} with its type, ready for {@link Outbox#publish}. */
  public Event<T> with(T event) {
    return new Event<>(this, Objects.requireNonNull(event, "event"));
  }

  /** The outbox message carrying {@code event}: its topic, tags and JSON payload. */
  public OutboxMessage message(T event, String businessKey, Map<String, String> headers) {
    return new OutboxMessage(topic, tags.apply(event), businessKey, json(event), headers);
  }

  /** The payload of {@code event}: {@code {"event": <name>, …components in order}}. */
  public String json(T event) {
    ObjectNode node = JSON.createObjectNode();
    node.put("event", name);
    for (RecordComponent component : components) {
      try {
        node.set(component.getName(), JSON.valueToTree(component.getAccessor().invoke(event)));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + type.getName() + "." + component, e);
      }
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("event not serialisable: " + type.getName(), e);
    }
  }

  /**
   * The event in {@code message}'s payload. Reads as the consumers read it by hand before: a {@code
   * String}, {@code long}, {@code int} or {@code boolean} component that is missing or of another
   * JSON type reads as Jackson's {@code asText("")}, {@code asLong(0)}, {@code asInt(0)}, {@code
   * asBoolean(false)} give it, so the consumer's own checks decide (and refuse with their own
   * message); any other component binds with Jackson. Does not check the payload's {@code event}
   * name ({@link #isNamedIn}).
   *
   * @throws ConsumerException {@code REJECTED} "payload is not JSON" when the payload does not
   *     parse; {@code REJECTED} when a component of another type does not bind, or the record
   *     refuses its values
   */
  public T read(EventMessage message) {
    JsonNode tree = tree(message);
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = value(components[i], tree.path(components[i].getName()), message);
    }
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw rejected("payload is not a " + name + " (" + e.getCause() + "): ", message);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getName(), e);
    }
  }

  /**
   * True when {@code message}'s payload names this event ({@code "event"}).
   *
   * @throws ConsumerException {@code REJECTED} "payload is not JSON" when it does not parse
   */
  public boolean isNamedIn(EventMessage message) {
    return name.equals(tree(message).path("event").asText());
  }

  private static JsonNode tree(EventMessage message) {
    JsonNode tree;
    try {
      tree = JSON.readTree(message.payload());
    } catch (Exception e) {
      throw new ConsumerException(ConsumerException.Code.REJECTED, "payload is not JSON");
    }
    return tree == null ? MissingNode.getInstance() : tree;
  }

  private Object value(RecordComponent component, JsonNode node, EventMessage message) {
    Class<?> t = component.getType();
    if (t == String.class) {
      return node.asText("");
    }
    if (t == long.class) {
      return node.asLong(0);
    }
    if (t == int.class) {
      return node.asInt(0);
    }
    if (t == boolean.class) {
      return node.asBoolean(false);
    }
    try {
      return JSON.convertValue(
          node.isMissingNode() ? null : node, JSON.constructType(component.getGenericType()));
    } catch (IllegalArgumentException e) {
      throw rejected(
          "payload field '" + component.getName() + "' is not a " + t.getSimpleName() + ": ",
          message);
    }
  }

  private static ConsumerException rejected(String why, EventMessage message) {
    return new ConsumerException(
        ConsumerException.Code.REJECTED, why + EventMessageCheck.shown(message.payload()));
  }

  /** An event with its type: one message of {@link Outbox#publish}. */
  public record Event<T extends Record>(EventType<T> type, T event) {

    /** The outbox message of this event. */
    public OutboxMessage message(String businessKey, Map<String, String> headers) {
      return type.message(event, businessKey, headers);
    }
  }
}
