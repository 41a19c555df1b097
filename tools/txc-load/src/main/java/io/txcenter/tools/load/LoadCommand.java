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
import java.util.function.Supplier;

/**
 * {@code bin/txc load}: a bounded load of mall orders, payments and fund purchases against a
 * running topology, at a concurrency and optionally a target rate, with a share of requests built
 * to fail (a user short of points, an unknown channel, a negative amount, a declined payment).
 * Unique keys per run; a progress line every second; a summary with outcomes, errors by code and
 * latency p50/p99. Stops by itself: after the requests are sent or {@code --max-seconds} pass.
 *
 * <p>Like a real caller it sends a request whose outcome is open (an RPC failure or timeout, a code
 * meaning "try again", a status that is not final; {@link Retries}) again, with the same key and
 * content, up to {@code --retries} times with exponential backoff and seeded jitter, and records
 * per key the final answer it got ({@link Answer}); {@link Summary#answerViolations} checks those
 * answers against the databases.
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
      int maxSeconds,
      int retries) {

    /** A plan with the default {@link Retries#DEFAULT_RETRIES retries}. */
    public Plan(
        int orders,
        int payments,
        int purchases,
        int concurrency,
        double rate,
        double failShare,
        long seed,
        int maxSeconds) {
      this(
          orders,
          payments,
          purchases,
          concurrency,
          rate,
          failShare,
          seed,
          maxSeconds,
          Retries.DEFAULT_RETRIES);
    }

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
              integer(o, "max-seconds", 300),
              integer(o, "retries", Retries.DEFAULT_RETRIES));
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
      if (plan.retries < 0 || plan.retries > 100) {
        throw new CliException("--retries must be in [0, 100], was [" + plan.retries + "]");
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

  /** The counts and latencies of a run, and the final answer the client got for every key. */
  public static final class Summary {
    public final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    public final Map<String, LongAdder> codes = new ConcurrentHashMap<>();

    /** Why requests were sent again: the code or status of the attempt before each retry. */
    public final Map<String, LongAdder> retriedOn = new ConcurrentHashMap<>();

    final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
    public final AtomicInteger sent = new AtomicInteger();

    /** Attempts sent after a key's first one. */
    public final LongAdder retries = new LongAdder();

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private volatile String keyPrefix;
    volatile double seconds;

    /**
     * The one-line summary; scripts read it. Fields are only ever appended: {@code retries}
     * (attempts sent again), {@code retried_keys} (keys sent more than once), {@code changed} (keys
     * whose final answer differs from what their first attempt alone would have counted).
     */
    public String line() {
      return String.format(
          "load: sent=%d committed=%d rolled_back=%d refused=%d errors=%d p50=%d ms p99=%d ms"
              + " retries=%d retried_keys=%d changed=%d",
          sent.get(),
          count(Outcome.COMMITTED),
          count(Outcome.ROLLED_BACK),
          count(Outcome.REFUSED),
          count(Outcome.ERROR),
          percentileMillis(50),
          percentileMillis(99),
          retries.sum(),
          retriedKeys(),
          changedByRetry());
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

    /**
     * Every key sent, with the final answer the client got; a key still in flight when the run's
     * bound ended it is an {@code ERROR} with code {@code IN_FLIGHT}.
     */
    public List<Answer> answers() {
      return List.copyOf(answers.values());
    }

    /** The prefix of every key of the run ({@code load-<run>-}); null before the run sent any. */
    public String keyPrefix() {
      return keyPrefix;
    }

    public long retriedKeys() {
      return answers.values().stream().filter(Answer::retried).count();
    }

    public long changedByRetry() {
      return answers.values().stream().filter(Answer::changedByRetry).count();
    }

    /**
     * Checks, against the databases of {@code config}'s topology, that every key this run sent had
     * at most one effect and that the answer the client got agrees with it ({@link AnswerCheck}).
     * Call it after quiescence: an answer of {@code ERROR} allows either outcome, others do not.
     *
     * @return one line per violation, at most {@link AnswerCheck#MAX_REPORTED} and then one line
     *     saying how many more; empty when every answer agrees
     */
    public List<String> answerViolations(TopologyConfig config) {
      return AnswerCheck.violations(config, keyPrefix, answers());
    }

    void sending(Answer.Kind kind, String key) {
      answers.putIfAbsent(key, Answer.inFlight(kind, key));
    }

    void answered(Answer answer) {
      answers.put(answer.key(), answer);
    }

    void retrying(String cause) {
      retries.increment();
      retriedOn.computeIfAbsent(cause, k -> new LongAdder()).increment();
    }
  }

  public int run(Map<String, String> options) throws InterruptedException {
    Summary summary = drive(Plan.from(options));
    out.println(summary.line());
    out.println("  by kind: " + new java.util.TreeMap<>(summary.outcomes));
    out.println("  by code: " + new java.util.TreeMap<>(summary.codes));
    out.println("  retried on: " + new java.util.TreeMap<>(summary.retriedOn));
    return summary.count(Outcome.ERROR) == 0 ? 0 : 1;
  }

  /**
   * Seeds users, quota and a merchant for this run, then sends the plan's requests, each retried as
   * the plan says; returns when every request was answered or the plan's time ran out (requests
   * then in flight, retries included, get {@link #GRACE} to finish; requests not yet sent are
   * dropped, and not counted as sent).
   */
  public Summary drive(Plan plan) throws InterruptedException {
    return drive(plan, new Summary());
  }

  /** As {@link #drive(Plan)}, filling {@code summary}, which the caller may watch meanwhile. */
  public Summary drive(Plan plan, Summary summary) throws InterruptedException {
    String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    Random random = new Random(plan.seed());
    // the retries' jitter: one generator per request, drawn in plan order from its own seeded
    // sequence, so a seed repeats each key's schedule and the requests' own draws stay as they were
    Random jitterSeeds = new Random(~plan.seed());
    Sender sender = new Sender(summary, plan.retries());
    summary.keyPrefix = "load-" + run + "-";
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
        String orderNo = summary.keyPrefix + "o" + i;
        Random jitter = new Random(jitterSeeds.nextLong());
        PlaceOrderRequest request = orderRequest(orderNo, user, who, fail, failure, a, b);
        requests.add(
            () ->
                sender.send(
                    Answer.Kind.ORDER, orderNo, jitter, () -> orderAttempt(clients, request)));
      }
      for (int i = 0; i < plan.payments(); i++) {
        long user = firstUser + random.nextInt((int) users);
        boolean decline = random.nextDouble() < plan.failShare();
        String paymentNo = summary.keyPrefix + "p" + i;
        Random jitter = new Random(jitterSeeds.nextLong());
        CreatePaymentRequest create =
            new CreatePaymentRequest(paymentNo, merchant, user, a, 1_000, 10);
        requests.add(
            () ->
                sender.send(
                    Answer.Kind.PAYMENT,
                    paymentNo,
                    jitter,
                    () -> paymentAttempt(clients, create, decline)));
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
        String purchaseNo = summary.keyPrefix + "f" + i;
        Random jitter = new Random(jitterSeeds.nextLong());
        PurchaseRequest request = new PurchaseRequest(purchaseNo, investor, target, amount);
        requests.add(
            () ->
                sender.send(
                    Answer.Kind.PURCHASE,
                    purchaseNo,
                    jitter,
                    () -> purchaseAttempt(clients, request)));
      }
      Collections.shuffle(requests, random);
      execute(plan, requests, summary, sender);
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

  private void execute(Plan plan, List<Runnable> requests, Summary summary, Sender sender)
      throws InterruptedException {
    long start = System.nanoTime();
    // no retry starts after the run's bound: max-seconds, then GRACE for what is in flight
    sender.bound = start + TimeUnit.SECONDS.toNanos(plan.maxSeconds() + GRACE);
    ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency());
    // at most `concurrency` requests out at once: nothing queues behind a slow topology, so the
    // time bound stops the load promptly and a dropped request was never sent
    java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(plan.concurrency());
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
    // the requests in flight, and their retries, end by the run's bound: max-seconds + GRACE
    long graceEnd =
        Math.max(
            System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE),
            deadline + TimeUnit.SECONDS.toNanos(GRACE));
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
          "load: %5.1f s  done=%d/%d committed=%d rolled_back=%d refused=%d errors=%d"
              + " retries=%d  %.1f/s%n",
          seconds,
          done,
          total,
          summary.count(Outcome.COMMITTED),
          summary.count(Outcome.ROLLED_BACK),
          summary.count(Outcome.REFUSED),
          summary.count(Outcome.ERROR),
          summary.retries.sum(),
          done / seconds);
    }
  }

  /**
   * How one attempt ended: the outcome it answers, the business status answered (null for an
   * exception), the code to count, and whether the outcome is still open, so the request is sent
   * again.
   */
  record Attempt(Outcome outcome, String status, String code, boolean open) {

    static Attempt open(String code) {
      return new Attempt(Outcome.ERROR, null, code, true);
    }

    static Attempt refused(String code) {
      return new Attempt(Outcome.REFUSED, null, code, false);
    }

    /** The outcome counted when the client stops here: an open outcome is an error. */
    Outcome counted() {
      return open ? Outcome.ERROR : outcome;
    }
  }

  /**
   * Sends one request, and again while its outcome is open (up to {@code retries} more times, none
   * whose backoff would end after {@code bound}), then records the final answer.
   */
  static final class Sender {
    private final Summary summary;
    private final int retries;
    volatile long bound = Long.MAX_VALUE;

    Sender(Summary summary, int retries) {
      this.summary = summary;
      this.retries = retries;
    }

    Answer send(Answer.Kind kind, String key, Random jitter, Supplier<Attempt> request) {
      long started = System.nanoTime();
      summary.sending(kind, key);
      Attempt first = request.get();
      Attempt last = first;
      int attempts = 1;
      while (last.open() && attempts <= retries) {
        long wait = Retries.backoffMillis(attempts, jitter);
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait) >= bound) {
          break; // the run is over: the answer stays open
        }
        try {
          Thread.sleep(wait); // the backoff itself, as a real caller waits
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // abandoned at the run's bound
          break;
        }
        summary.retrying(last.code());
        last = request.get();
        attempts++;
      }
      Answer answer =
          new Answer(
              kind, key, last.counted(), last.status(), last.code(), attempts, first.counted());
      summary.answered(answer);
      summary.record(
          kind.name().toLowerCase(java.util.Locale.ROOT),
          answer.outcome(),
          last.code(),
          (System.nanoTime() - started) / 1000);
      return answer;
    }
  }

  private static PlaceOrderRequest orderRequest(
      String orderNo, long user, Users users, boolean fail, int failure, String a, String b) {
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
    return new PlaceOrderRequest(orderNo, buyer, lines);
  }

  private static Attempt orderAttempt(Clients clients, PlaceOrderRequest request) {
    try {
      OrderResult result = clients.mall().placeOrder(request);
      String status = result.status().name();
      if (!Retries.isFinal(result.status())) {
        return new Attempt(Outcome.ERROR, status, status, true);
      }
      return result.status() == OrderStatus.CONFIRMED
          ? new Attempt(Outcome.COMMITTED, status, null, false)
          : new Attempt(Outcome.ROLLED_BACK, status, result.rejectCode(), false);
    } catch (MallException e) {
      return Retries.retryable(e.code())
          ? Attempt.open(e.code().name())
          : Attempt.refused(e.code().name());
    } catch (RuntimeException e) {
      return Attempt.open(e.getClass().getSimpleName());
    }
  }

  /**
   * One attempt of a payment: create it (idempotent: a repeat returns the stored one), then the
   * bank's signed callback with the same bank transaction (a repeat returns the current state).
   */
  private static Attempt paymentAttempt(
      Clients clients, CreatePaymentRequest create, boolean decline) {
    String paymentNo = create.paymentNo();
    try {
      clients.payment().createPayment(create);
      PaymentView view =
          clients
              .payment()
              .completePayment(
                  paymentNo,
                  LocalBank.result(
                      paymentNo,
                      "bk-" + paymentNo,
                      !decline,
                      create.amountCents(),
                      decline ? "declined" : null));
      String status = view.status().name();
      if (!Retries.isFinal(view.status())) {
        return new Attempt(Outcome.ERROR, status, status, true);
      }
      // PAID and FAILED both end the payment's transaction committed; FAILED is the bank's no
      return new Attempt(
          Outcome.COMMITTED,
          status,
          view.status() == PaymentStatus.FAILED ? "BANK_DECLINED" : null,
          false);
    } catch (PaymentException e) {
      return Retries.retryable(e.code())
          ? Attempt.open(e.code().name())
          : Attempt.refused(e.code().name());
    } catch (RuntimeException e) {
      return Attempt.open(e.getClass().getSimpleName());
    }
  }

  private static FundService fund(Clients clients) {
    return clients.reference(FundService.class, null);
  }

  private static Attempt purchaseAttempt(Clients clients, PurchaseRequest request) {
    try {
      PurchaseResult result = fund(clients).buy(request);
      String status = result.status().name();
      if (!Retries.isFinal(result.status())) {
        return new Attempt(Outcome.ERROR, status, status, true);
      }
      return new Attempt(
          result.status() == PurchaseStatus.CONFIRMED ? Outcome.COMMITTED : Outcome.ROLLED_BACK,
          status,
          null,
          false);
    } catch (FundException e) {
      return Retries.retryable(e.code())
          ? Attempt.open(e.code().name())
          : Attempt.refused(e.code().name());
    } catch (RuntimeException e) {
      return Attempt.open(e.getClass().getSimpleName());
    }
  }
}
