package io.txcenter.tools.load;

import io.txcenter.tools.topology.TopologyConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The answers a load client got, against the databases after quiescence: each key had at most one
 * effect (one business record: {@code mall_order} by order number, {@code payment_order} by payment
 * number, {@code fund_purchase} by purchase number, whose own effects the services' audit
 * invariants check) and the answer agrees with it. An answer {@code COMMITTED} needs the record in
 * the status answered ({@code CONFIRMED}; {@code PAID} or {@code FAILED} as answered); {@code
 * ROLLED_BACK} needs the record and not in a committed status; {@code REFUSED} allows no committed
 * record; {@code ERROR} (retries exhausted, or still in flight at the run's bound) allows either,
 * or none. A record of the run's keys that the client never sent is a violation too.
 */
public final class AnswerCheck {

  /** Most violations listed; one more line then says how many were left out. */
  public static final int MAX_REPORTED = 50;

  /** Keys per {@code IN (…)} query. */
  private static final int CHUNK = 500;

  private AnswerCheck() {}

  /** Where a kind's records are and which of their statuses mean "committed". */
  private record Table(String service, String table, String keyColumn, Set<String> committed) {}

  private static Table table(Answer.Kind kind) {
    return switch (kind) {
      case ORDER -> new Table("mall", "mall_order", "order_no", Set.of("CONFIRMED"));
      case PAYMENT -> new Table("payment", "payment_order", "payment_no", Set.of("PAID", "FAILED"));
      case PURCHASE -> new Table("fund", "fund_purchase", "purchase_no", Set.of("CONFIRMED"));
    };
  }

  /**
   * The violations of {@code answers} against the databases of {@code config}'s topology, one
   * human-readable line each, at most {@link #MAX_REPORTED} plus a line counting the rest.
   *
   * @param keyPrefix the prefix of every key of the run: a record under it that no answer names is
   *     a violation; null to check only the answers' keys
   */
  public static List<String> violations(
      TopologyConfig config, String keyPrefix, Collection<Answer> answers) {
    JdbcTemplate jdbc = config.serverJdbc();
    List<String> found = new ArrayList<>();
    for (Answer.Kind kind : Answer.Kind.values()) {
      Table t = table(kind);
      String from = config.schema(t.service()) + "." + t.table();
      Map<String, Answer> byKey =
          answers.stream()
              .filter(a -> a.kind() == kind)
              .collect(Collectors.toMap(Answer::key, a -> a, (x, y) -> y));
      if (!exists(jdbc, config.schema(t.service()), t.table())) {
        if (!byKey.isEmpty()) {
          found.add(from + ": no such table, " + byKey.size() + " answers not checked");
        }
        continue;
      }
      Map<String, List<String>> records = records(jdbc, from, t.keyColumn(), byKey.keySet());
      for (Answer answer : new TreeSet<>(byKey.keySet()).stream().map(byKey::get).toList()) {
        String problem =
            problem(answer, records.getOrDefault(answer.key(), List.of()), t.committed());
        if (problem != null) {
          found.add(
              kind.name().toLowerCase(java.util.Locale.ROOT) + " " + answer.key() + ": " + problem);
        }
      }
      if (keyPrefix != null) {
        for (String key :
            jdbc.queryForList(
                "SELECT "
                    + t.keyColumn()
                    + " FROM "
                    + from
                    + " WHERE "
                    + t.keyColumn()
                    + " LIKE ? ORDER BY "
                    + t.keyColumn(),
                String.class,
                like(keyPrefix))) {
          if (!byKey.containsKey(key)) {
            found.add(
                kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " "
                    + key
                    + ": has a record but the client never sent it");
          }
        }
      }
    }
    if (found.size() <= MAX_REPORTED) {
      return List.copyOf(found);
    }
    List<String> capped = new ArrayList<>(found.subList(0, MAX_REPORTED));
    capped.add("… and " + (found.size() - MAX_REPORTED) + " more answer violations");
    return List.copyOf(capped);
  }

  /**
   * What is wrong with {@code answer} given the statuses of its key's records, or null.
   *
   * @param statuses one entry per record of the key (a key column that is not unique would show)
   */
  static String problem(Answer answer, List<String> statuses, Set<String> committed) {
    String told =
        "answered "
            + answer.outcome()
            + (answer.status() == null ? "" : " " + answer.status())
            + (answer.code() == null ? "" : " (" + answer.code() + ")")
            + " after "
            + answer.attempts()
            + (answer.attempts() == 1 ? " attempt" : " attempts");
    if (statuses.size() > 1) {
      return told + ", but " + statuses.size() + " records exist " + statuses;
    }
    String status = statuses.isEmpty() ? null : statuses.get(0);
    boolean isCommitted = status != null && committed.contains(status);
    String is = status == null ? "no record exists" : "the record is " + status;
    return switch (answer.outcome()) {
      case COMMITTED ->
          status != null && status.equals(answer.status()) && isCommitted ? null : told + ", " + is;
      case ROLLED_BACK -> status != null && !isCommitted ? null : told + ", " + is;
      case REFUSED -> isCommitted ? told + ", " + is : null;
      case ERROR -> null;
    };
  }

  /** The statuses of the records of {@code keys} in {@code from}, by key. */
  private static Map<String, List<String>> records(
      JdbcTemplate jdbc, String from, String keyColumn, Set<String> keys) {
    Map<String, List<String>> statuses = new HashMap<>();
    List<String> all = new ArrayList<>(keys);
    for (int i = 0; i < all.size(); i += CHUNK) {
      List<String> chunk = all.subList(i, Math.min(all.size(), i + CHUNK));
      String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
      jdbc.query(
          "SELECT "
              + keyColumn
              + ", status FROM "
              + from
              + " WHERE "
              + keyColumn
              + " IN ("
              + marks
              + ")",
          (RowCallbackHandler)
              row ->
                  statuses
                      .computeIfAbsent(row.getString(1), k -> new ArrayList<>())
                      .add(row.getString(2)),
          chunk.toArray());
    }
    return statuses;
  }

  private static boolean exists(JdbcTemplate jdbc, String schema, String table) {
    Long n =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            Long.class,
            schema,
            table);
    return n != null && n > 0;
  }

  /** A LIKE pattern matching every key that starts with {@code prefix}, taken literally. */
  static String like(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
