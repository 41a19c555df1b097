package io.txcenter.tools.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a process's {@code GET /metrics} (the Prometheus text format Micrometer writes),
 * parsed into samples. Only what {@code bin/txc top} reads: names, labels, values; comments and
 * timestamps are skipped.
 */
record MetricsScrape(List<Sample> samples) {

  /** One line of the page: {@code name{labels} value}. */
  record Sample(String name, Map<String, String> labels, double value) {
    String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  private static final Pattern LINE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\d+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static MetricsScrape parse(String page) {
    List<Sample> samples = new ArrayList<>();
    for (String line : page.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(trimmed);
      if (!m.matches()) {
        continue; // a line this reader does not need
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
      }
      double value;
      try {
        value = Double.parseDouble(m.group(4).replace("+Inf", "Infinity"));
      } catch (NumberFormatException e) {
        continue;
      }
      samples.add(new Sample(m.group(1), Map.copyOf(labels), value));
    }
    return new MetricsScrape(List.copyOf(samples));
  }

  /** The sum of the samples named {@code name} whose labels pass {@code filter}. */
  double sum(String name, Predicate<Sample> filter) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && filter.test(s))
        .mapToDouble(Sample::value)
        .sum();
  }

  double sum(String name) {
    return sum(name, s -> true);
  }

  /** The largest sample named {@code name} passing {@code filter} (0 when none). */
  double max(String name, Predicate<Sample> filter) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && filter.test(s))
        .mapToDouble(Sample::value)
        .max()
        .orElse(0);
  }

  /**
   * The histogram {@code name}'s cumulative bucket counts by upper bound ({@code le}), summed over
   * the series passing {@code filter}.
   */
  Map<Double, Double> buckets(String name, Predicate<Sample> filter) {
    Map<Double, Double> buckets = new java.util.TreeMap<>();
    for (Sample s : samples) {
      if (s.name().equals(name + "_bucket") && filter.test(s)) {
        double le =
            s.label("le").equals("+Inf")
                ? Double.POSITIVE_INFINITY
                : Double.parseDouble(s.label("le"));
        buckets.merge(le, s.value(), Double::sum);
      }
    }
    return buckets;
  }

  /**
   * The {@code q} quantile of the observations between two cumulative bucket sets, interpolated
   * within a bucket as Prometheus's {@code histogram_quantile} does; NaN when there were none.
   */
  static double quantile(double q, Map<Double, Double> before, Map<Double, Double> after) {
    List<double[]> bounds = new ArrayList<>(); // le, cumulative count in the interval
    for (Map.Entry<Double, Double> b : new java.util.TreeMap<>(after).entrySet()) {
      bounds.add(new double[] {b.getKey(), b.getValue() - before.getOrDefault(b.getKey(), 0.0)});
    }
    if (bounds.isEmpty()) {
      return Double.NaN;
    }
    double total = bounds.get(bounds.size() - 1)[1];
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (double[] b : bounds) {
      if (b[1] >= rank) {
        if (Double.isInfinite(b[0])) {
          return lowerBound; // above the largest finite bucket: its bound, as Prometheus answers
        }
        double inBucket = b[1] - lowerCount;
        return inBucket <= 0
            ? b[0]
            : lowerBound + (b[0] - lowerBound) * ((rank - lowerCount) / inBucket);
      }
      lowerBound = b[0];
      lowerCount = b[1];
    }
    return lowerBound;
  }
}
