package io.txcenter.tools.bench;

import io.txcenter.tools.bench.BenchCommand.Report.Summary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * What one order costs, per arm, at one concurrency level: the CPU each process kind spends on it
 * (its cores divided by the arm's throughput) and the database statements it makes. Written beside
 * the throughput chart as {@code cpu-per-order.png} and {@code statements-per-order.png}, and as a
 * table in {@code results.md}.
 */
final class BenchCharts {

  private BenchCharts() {}

  /** Milliseconds of CPU per committed order, by process kind, of one arm's summary. */
  static Map<String, Double> cpuMsPerOrder(Summary s) {
    Map<String, Double> perOrder = new java.util.LinkedHashMap<>();
    if (s.median() <= 0) {
      return perOrder;
    }
    s.cores().forEach((kind, cores) -> perOrder.put(kind, cores / s.median() * 1000));
    return perOrder;
  }

  /**
   * The markdown table of CPU and statements per order of {@code atLevel} (one summary per arm).
   */
  static String table(List<Summary> atLevel, int level) {
    TreeSet<String> kinds = new TreeSet<>();
    atLevel.forEach(s -> kinds.addAll(s.cores().keySet()));
    StringBuilder b = new StringBuilder();
    b.append("\nCPU per committed order at concurrency ")
        .append(level)
        .append(", milliseconds (cores of the median point divided by its throughput):\n\n");
    b.append("| process kind |");
    atLevel.forEach(s -> b.append(' ').append(s.arm()).append(" |"));
    b.append("\n| --- |");
    atLevel.forEach(s -> b.append(" --- |"));
    b.append('\n');
    List<Map<String, Double>> perArm = new ArrayList<>();
    atLevel.forEach(s -> perArm.add(cpuMsPerOrder(s)));
    for (String kind : kinds) {
      b.append("| ").append(kind).append(" |");
      for (Map<String, Double> arm : perArm) {
        Double ms = arm.get(kind);
        b.append(' ')
            .append(ms == null ? "–" : String.format(Locale.ROOT, "%.1f", ms))
            .append(" |");
      }
      b.append('\n');
    }
    b.append("| **one order** |");
    for (Map<String, Double> arm : perArm) {
      double total = arm.values().stream().mapToDouble(Double::doubleValue).sum();
      b.append(String.format(Locale.ROOT, " **%.1f** |", total));
    }
    b.append("\n| database statements |");
    atLevel.forEach(s -> b.append(String.format(Locale.ROOT, " %.1f |", s.statementsPerCall())));
    b.append('\n');
    return b.toString();
  }

  /** A stacked bar per arm: its CPU per order, split by process kind. */
  static void cpuChart(List<Summary> atLevel, int level, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    TreeSet<String> kinds = new TreeSet<>();
    atLevel.forEach(s -> kinds.addAll(s.cores().keySet()));
    for (Summary s : atLevel) {
      Map<String, Double> perOrder = cpuMsPerOrder(s);
      for (String kind : kinds) {
        data.addValue(perOrder.getOrDefault(kind, 0.0), kind, s.arm());
      }
    }
    JFreeChart chart =
        ChartFactory.createStackedBarChart(
            "CPU per committed order at concurrency " + level + ", by process",
            "arm",
            "milliseconds of CPU per order",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
  }

  /** A bar per arm: the database statements one order makes (the server's Questions counter). */
  static void statementsChart(List<Summary> atLevel, int level, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Summary s : atLevel) {
      data.addValue(s.statementsPerCall(), "statements", s.arm());
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Database statements per committed order at concurrency " + level,
            "arm",
            "statements per order",
            data,
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
  }

  /** Commit-to-applied p99 by rate, one line per consumer group and one for all of them. */
  static void outboxLatencyChart(List<OutboxBench.RatePoint> points, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (OutboxBench.RatePoint p : points) {
      String rate = p.rate() + "/s";
      data.addValue(p.all().p99Ms(), "all (p99)", rate);
      data.addValue(p.all().p50Ms(), "all (p50)", rate);
      for (OutboxBench.Latency group : p.groups()) {
        data.addValue(group.p99Ms(), group.group() + " (p99)", rate);
      }
    }
    JFreeChart chart =
        ChartFactory.createLineChart(
            "Outbox: commit to applied by order rate",
            "orders per second",
            "milliseconds",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 540);
  }
}
