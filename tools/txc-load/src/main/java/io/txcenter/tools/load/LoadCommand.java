package io.txcenter.tools.load;

import io.txcenter.fund.api.FundException;
import io.txcenter.fund.api.FundService;
import io.txcenter.fund.api.PurchaseRequest;
import io.txcenter.fund.api.PurchaseResult;
import io.txcenter.fund.api.PurchaseStatus;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.payment.api.PaymentView;
import io.txcenter.tools.topology.CliException;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.LocalBank;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bin/txc load}: a bounded load of mall orders, payments and fund purchases against a
 * running topology, at a concurrency and optionally a target rate, with a share of requests built
 * to fail (a user short of points, an unknown channel, a negative amount, a declined payment).
 * Unique keys per run; a progress line every second; a summary with outcomes, errors by code and
 * latency p50/p99. Stops by itself: after the requests are sent or {@code --max-seconds} pass.
 */
public final class LoadCommand {

  /** What one request turned into. */
  public enum Outcome {
    COMMITTED,
    ROLLED_BACK,
    REFUSED,
    ERROR
  }

  private final TopologyConfig config;
  private final PrintStream out;

  public LoadCommand(TopologyConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  /** The knobs of one run, validated. */
  public record Plan(
      int orders,
      int payments,
      int purchases,
      int concurrency,
      double rate,
      double failShare,
      long seed,
      int maxSeconds) {

    static Plan from(Map<String, String> o) {
      Plan plan =
          new Plan(
              integer(o, "orders", 200),
              integer(o, "payments", 50),
              integer(o, "purchases", 20),
              integer(o, "concurrency", 4),
              decimal(o, "rate", 0),
              decimal(o, "fail-share", 0.1),
              integer(o, "seed", 1),
              integer(o, "max-seconds", 300));
      if (plan.orders < 0
          || plan.payments < 0
          || plan.purchases < 0
          || plan.orders + plan.payments + plan.purchases == 0) {
        throw new CliException("--orders, --payments and --purchases must be >= 0 and not all 0");
      }
      if (plan.concurrency < 1 || plan.concurrency > 256) {
        throw new CliException("--concurrency must be in [1, 256], was [" + plan.concurrency + "]");
      }
      if (plan.failShare < 0 || plan.failShare > 1) {
        throw new CliException("--fail-share must be in [0, 1], was [" + plan.failShare + "]");
      }
      if (plan.rate < 0 || plan.maxSeconds < 1 || plan.maxSeconds > 86_400) {
        throw new CliException("--rate must be >= 0 and --max-seconds in [1, 86400]");
      }
      return plan;
    }

    private static int integer(Map<String, String> o, String key, int defaultValue) {
      String value = o.getOrDefault(key, String.valueOf(defaultValue));
      if (!value.matches("\\d{1,9}")) {
        throw new CliException("--" + key + " must be a whole number, was [" + value + "]");
      }
      return Integer.parseInt(value);
    }

    private static double decimal(Map<String, String> o, String key, double defaultValue) {
      String value = o.getOrDefault(key, String.valueOf(defaultValue));
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new CliException("--" + key + " must be a number, was [" + value + "]");
      }
    }
  }

  /** The counts and latencies of a run. */
  public static final class Summary {
    public final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> codes = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
    public final AtomicInteger sent = new AtomicInteger();
    volatile double seconds;

    /** The one-line summary; scripts read it. */
    public String line() {
      return String.format(
          "load: sent=%d committed=%d rolled_back=%d refused=%d errors=%d p50=%d ms p99=%d ms",
          sent.get(),
          count(Outcome.COMMITTED),
          count(Outcome.ROLLED_BACK),
          count(Outcome.REFUSED),
          count(Outcome.ERROR),
          percentileMillis(50),
          percentileMillis(99));
    }

    void record(String kind, Outcome outcome, String code, long micros) {
      outcomes.computeIfAbsent(kind + " " + outcome, k -> new LongAdder()).increment();
      if (code != null) {
        codes.computeIfAbsent(code, k -> new LongAdder()).increment();
      }
      latenciesMicros.add(micros);
    }

    public long count(Outcome outcome) {
      return outcomes.entrySet().stream()
          .filter(e -> e.getKey().endsWith(" " + outcome))
          .mapToLong(e -> e.getValue().sum())
          .sum();
    }

    public long percentileMillis(int p) {
      List<Long> sorted = new ArrayList<>(latenciesMicros);
      if (sorted.isEmpty()) {
        return 0;
      }
      Collections.sort(sorted);
      int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000;
    }
  }

  public int run(Map<String, String> options) throws InterruptedException {
    Summary summary = drive(Plan.from(options));
    out.println(summary.line());
    out.println("  by kind: " + new java.util.TreeMap<>(summary.outcomes));
    out.println("  by code: " + new java.util.TreeMap<>(summary.codes));
    return summary.count(Outcome.ERROR) == 0 ? 0 : 1;
  }

  /**
   * Seeds users, quota and a merchant for this run, then sends the plan's requests; returns when
   * every request was answered or the plan's time ran out (requests then in flight get {@link
   * #GRACE} to finish; requests not yet sent are dropped, and not counted as sent).
   */
  public Summary drive(Plan plan) throws InterruptedException {
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    Random random = new Random(plan.seed());
    Summary summary = new Summary();
    try (Clients clients = new Clients(config)) {
      String a = config.channels().get(0);
      String b = config.channels().get(1);
      long users = Math.max(8, plan.concurrency() * 4L);
      long firstUser = 3_000_000L + (System.currentTimeMillis() % 1_000_000L) * 10;
      long quota = Math.min(100L * (plan.orders() + 1) * 100, 100_000_000L);
      clients.portal().grant(a, quota, "load seed");
      clients.portal().grant(b, quota, "load seed");
      for (long u = firstUser; u < firstUser + users; u++) {
        clients.points(a).grant(a, u, 1_000_000, "load seed");
        clients.points(b).grant(b, u, 1_000_000, "load seed");
      }
      long poorUser = firstUser + users;
      clients.points(a).grant(a, poorUser, 1, "load seed");
      clients.points(b).grant(b, poorUser, 1_000_000, "load seed");
      // rich enough to freeze more points than the channel has quota left: the portal refuses
      long richUser = poorUser + 1;
      long quotaLeft =
          clients.portal().quotas().stream()
              .filter(q -> q.channelId().equals(b))
              .mapToLong(io.txcenter.portal.api.ChannelQuota::available)
              .sum();
      long buster =
          Math.min(quotaLeft + 1_000_000, io.txcenter.points.api.PointsService.MAX_POINTS);
      clients.points(b).grant(b, richUser, buster, "load seed");
      String merchant = "m-load-" + run;
      clients.account().open(merchant, 0, "load seed");
      Users who = new Users(firstUser, users, poorUser, richUser, buster);

      List<Runnable> requests = new ArrayList<>();
      for (int i = 0; i < plan.orders(); i++) {
        long user = firstUser + random.nextInt((int) users);
        boolean fail = random.nextDouble() < plan.failShare();
        int failure = random.nextInt(4);
        String orderNo = "load-" + run + "-o" + i;
        requests.add(() -> order(clients, summary, orderNo, user, who, fail, failure, a, b));
      }
      for (int i = 0; i < plan.payments(); i++) {
        long user = firstUser + random.nextInt((int) users);
        boolean decline = random.nextDouble() < plan.failShare();
        String paymentNo = "load-" + run + "-p" + i;
        requests.add(() -> payment(clients, summary, paymentNo, merchant, user, a, decline));
      }
      // fund discount purchases: investors rich enough for every purchase, one who is not
      String investors = "inv-load-" + run;
      int investorCount = (int) Math.max(4, plan.concurrency());
      for (int i = 0; i < investorCount && plan.purchases() > 0; i++) {
        fund(clients).openInvestor(investors + "-" + i, 100_000_000L, "load seed");
      }
      String poorInvestor = investors + "-poor";
      if (plan.purchases() > 0) {
        fund(clients).openInvestor(poorInvestor, 100, "load seed");
      }
      for (int i = 0; i < plan.purchases(); i++) {
        String investor =
            random.nextDouble() < plan.failShare()
                ? poorInvestor
                : investors + "-" + random.nextInt(investorCount);
        String target = random.nextBoolean() ? "FUND-A" : "FUND-B";
        long amount = 1_000 + random.nextInt(9_000);
        String purchaseNo = "load-" + run + "-f" + i;
        requests.add(() -> purchase(clients, summary, purchaseNo, investor, target, amount));
      }
      Collections.shuffle(requests, random);
      execute(plan, requests, summary);
    }
    return summary;
  }

  /** How long requests in flight may take to finish once the plan's time is up. */
  static final long GRACE = 60;

  /**
   * The users of a run: the regular ones, one short of points in the first channel, one whose
   * {@code buster} points exceed the second channel's quota left.
   */
  private record Users(long first, long count, long poor, long rich, long buster) {}

  private void execute(Plan plan, List<Runnable> requests, Summary summary)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency());
    // at most `concurrency` requests out at once: nothing queues behind a slow topology, so the
    // time bound stops the load promptly and a dropped request was never sent
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(plan.concurrency());
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(plan.maxSeconds());
    AtomicLong lastProgress = new AtomicLong(start);
    for (int i = 0; i < requests.size() && System.nanoTime() < deadline; i++) {
      if (plan.rate() > 0) {
        long due = start + (long) (i * 1e9 / plan.rate());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(Math.min(wait, deadline - System.nanoTime())); // pacing
        }
      }
      while (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
        progress(start, lastProgress, summary, requests.size());
        if (System.nanoTime() >= deadline) {
          break;
        }
      }
      if (System.nanoTime() >= deadline) {
        break;
      }
      Runnable request = requests.get(i);
      pool.submit(
          () -> {
            try {
              summary.sent.incrementAndGet();
              request.run();
            } finally {
              slots.release();
            }
          });
      progress(start, lastProgress, summary, requests.size());
    }
    pool.shutdown();
    long graceEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE);
    while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
      progress(start, lastProgress, summary, requests.size());
      if (System.nanoTime() > graceEnd) {
        out.println(
            "load: requests still in flight " + GRACE + " s after the end, abandoning them");
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        break;
      }
    }
    summary.seconds = (System.nanoTime() - start) / 1e9;
  }

  private void progress(long start, AtomicLong last, Summary summary, int total) {
    long now = System.nanoTime();
    long previous = last.get();
    if (now - previous >= 1_000_000_000L && last.compareAndSet(previous, now)) {
      double seconds = (now - start) / 1e9;
      long done = summary.latenciesMicros.size();
      out.printf(
          "load: %5.1f s  done=%d/%d committed=%d rolled_back=%d refused=%d errors=%d  %.1f/s%n",
          seconds,
          done,
          total,
          summary.count(Outcome.COMMITTED),
          summary.count(Outcome.ROLLED_BACK),
          summary.count(Outcome.REFUSED),
          summary.count(Outcome.ERROR),
          done / seconds);
    }
  }

  private static void order(
      Clients clients,
      Summary summary,
      String orderNo,
      long user,
      Users users,
      boolean fail,
      int failure,
      String a,
      String b) {
    List<OrderLine> lines;
    long buyer = user;
    if (!fail) {
      lines = List.of(new OrderLine(a, 5), new OrderLine(b, 3));
    } else if (failure == 0) {
      buyer = users.poor(); // short of points in one channel, enough in the other
      lines = List.of(new OrderLine(b, 3), new OrderLine(a, 5));
    } else if (failure == 1) {
      buyer = users.rich(); // more than the channel's quota left
      lines = List.of(new OrderLine(b, users.buster()));
    } else if (failure == 2) {
      lines = List.of(new OrderLine("ch-unknown", 5));
    } else {
      lines = List.of(new OrderLine(a, -5));
    }
    long started = System.nanoTime();
    try {
      OrderResult result = clients.mall().placeOrder(new PlaceOrderRequest(orderNo, buyer, lines));
      summary.record(
          "order",
          result.status() == OrderStatus.CONFIRMED ? Outcome.COMMITTED : Outcome.ROLLED_BACK,
          result.rejectCode(),
          (System.nanoTime() - started) / 1000);
    } catch (MallException e) {
      summary.record(
          "order", Outcome.REFUSED, e.code().name(), (System.nanoTime() - started) / 1000);
    } catch (RuntimeException e) {
      summary.record(
          "order",
          Outcome.ERROR,
          e.getClass().getSimpleName(),
          (System.nanoTime() - started) / 1000);
    }
  }

  private static void payment(
      Clients clients,
      Summary summary,
      String paymentNo,
      String merchant,
      long user,
      String channel,
      boolean decline) {
    long started = System.nanoTime();
    try {
      clients
          .payment()
          .createPayment(new CreatePaymentRequest(paymentNo, merchant, user, channel, 1_000, 10));
      PaymentView view =
          clients
              .payment()
              .completePayment(
                  paymentNo,
                  LocalBank.result(
                      paymentNo, "bk-" + paymentNo, !decline, 1_000, decline ? "declined" : null));
      Outcome outcome =
          view.status() == PaymentStatus.PAID || view.status() == PaymentStatus.FAILED
              ? Outcome.COMMITTED
              : Outcome.ROLLED_BACK;
      summary.record(
          "payment",
          outcome,
          view.status() == PaymentStatus.FAILED ? "BANK_DECLINED" : null,
          (System.nanoTime() - started) / 1000);
    } catch (PaymentException e) {
      summary.record(
          "payment", Outcome.REFUSED, e.code().name(), (System.nanoTime() - started) / 1000);
    } catch (RuntimeException e) {
      summary.record(
          "payment",
          Outcome.ERROR,
          e.getClass().getSimpleName(),
          (System.nanoTime() - started) / 1000);
    }
  }

  private static FundService fund(Clients clients) {
    return clients.reference(FundService.class, null);
  }

  private static void purchase(
      Clients clients,
      Summary summary,
      String purchaseNo,
      String investor,
      String target,
      long amount) {
    long started = System.nanoTime();
    try {
      PurchaseResult result =
          fund(clients).buy(new PurchaseRequest(purchaseNo, investor, target, amount));
      summary.record(
          "purchase",
          result.status() == PurchaseStatus.CONFIRMED ? Outcome.COMMITTED : Outcome.ROLLED_BACK,
          null,
          (System.nanoTime() - started) / 1000);
    } catch (FundException e) {
      summary.record(
          "purchase", Outcome.REFUSED, e.code().name(), (System.nanoTime() - started) / 1000);
    } catch (RuntimeException e) {
      summary.record(
          "purchase",
          Outcome.ERROR,
          e.getClass().getSimpleName(),
          (System.nanoTime() - started) / 1000);
    }
  }
}
