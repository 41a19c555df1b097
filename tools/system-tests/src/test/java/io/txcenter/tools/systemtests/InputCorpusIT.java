package io.txcenter.tools.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.txcenter.account.api.AccountService;
import io.txcenter.bench.api.DirectPointsService;
import io.txcenter.bench.api.DirectQuotaService;
import io.txcenter.bench.api.OrderBenchService;
import io.txcenter.kit.DubboNode;
import io.txcenter.mall.api.MallService;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.outbox.api.EventConsumer;
import io.txcenter.outbox.api.EventMessage;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.payment.api.BankResult;
import io.txcenter.payment.api.BankSignature;
import io.txcenter.payment.api.CreatePaymentRequest;
import io.txcenter.payment.api.PaymentService;
import io.txcenter.payment.api.PaymentStatus;
import io.txcenter.points.api.FreezeRequest;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import io.txcenter.portal.api.QuotaLine;
import io.txcenter.secrets.Secrets;
import io.txcenter.tools.topology.Clients;
import io.txcenter.tools.topology.LocalBank;
import io.txcenter.tools.topology.TopologyConfig;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.dubbo.rpc.RpcException;
import org.apache.seata.core.context.RootContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bad-input corpus (issue 13): every public method of every api jar, called over real Dubbo on
 * the shared topology as its legitimate caller, with bad values GENERATED per argument and per
 * record component — null, empty, one past the column width, wrong charset, SQL-shaped, 10,000
 * characters, zero, negative, overflow, unknown id, a repeat with other content, an object of an
 * unexpected class. Each case asserts the typed error code, that the message echoes at most 100
 * characters of any input, and that no row of any schema changed ({@code CHECKSUM TABLE} of every
 * table of the topology before and after). See docs/bad-input.md.
 *
 * <p>Named so that it sorts after {@code HaTopologyIT} (failsafe runs alphabetically) and starts
 * the shared topology on a quiet database.
 */
@ExtendWith(SharedTopology.class)
class InputCorpusIT {

  private static final String A = SharedTopology.A;

  /** A message may quote at most this many characters of one input. */
  static final int MAX_ECHO = 100;

  /** The longest input of the corpus: far past any column, to catch unbounded echoes. */
  static final int HUGE = 10_000;

  // ---------------------------------------------------------------------------------------------
  // Who may call what: each method is called as its legitimate caller so a case reaches the
  // method's validation, not the RPC authorization (see the Callers rules of each *Main).
  // ---------------------------------------------------------------------------------------------
  private static final Map<String, String> CALLER =
      Map.of(
          "PointsService.tryFreeze", "mall",
          "PointsService.tryCredit", "payment",
          "PortalService.tryFreezeQuota", "mall",
          "AccountService.tryCredit", "payment",
          "AccountService.hasAccount", "payment",
          "OutboxCheck.check", "relay",
          "EventConsumer.consume", "relay");

  /** The bench plugins' interfaces (bench-api): `txc up` puts no plugin on a class path. */
  private static final Map<Class<?>, String> NOT_EXPORTED =
      Map.of(
          OrderBenchService.class, "",
          DirectPointsService.class, A,
          DirectQuotaService.class, "");

  /** Interfaces the corpus reaches, with the Dubbo groups it calls them in. */
  private static final Map<Class<?>, List<String>> EXPORTED =
      Map.of(
          MallService.class, Collections.singletonList(null),
          PaymentService.class, Collections.singletonList(null),
          PointsService.class, List.of(A),
          PortalService.class, Collections.singletonList(null),
          AccountService.class, Collections.singletonList(null),
          OutboxCheck.class, List.of("mall", "payment"),
          EventConsumer.class, List.of("ops", "accounting", "notifier"));

  // ---------------------------------------------------------------------------------------------
  // Field name -> constraint: the column width and pattern behind each name, and the code a value
  // outside it gets. Keyed by "Interface.field" where services differ, else by field name.
  // ---------------------------------------------------------------------------------------------
  enum Kind {
    KEY, // [A-Za-z0-9_-]{1,width}
    CODE, // [a-z0-9-]{1,width}
    TEXT, // free text up to width
    JSON, // a JSON object up to width
    ID, // a positive id
    AMOUNT, // a number in [min, max]
    SIGNATURE,
    IGNORED // a value the method does not interpret
  }

  record Constraint(Kind kind, int width, long min, long max) {}

  private static Constraint key(int width) {
    return new Constraint(Kind.KEY, width, 0, 0);
  }

  private static Constraint code(int width) {
    return new Constraint(Kind.CODE, width, 0, 0);
  }

  private static Constraint amount(long min, long max) {
    return new Constraint(Kind.AMOUNT, 0, min, max);
  }

  static final Map<String, Constraint> FIELDS =
      Map.ofEntries(
          Map.entry("orderNo", key(64)),
          Map.entry("paymentNo", key(64)),
          Map.entry("merchantId", key(64)),
          Map.entry("bizNo", key(64)),
          Map.entry("accountId", key(64)),
          Map.entry("bankTxnNo", key(64)),
          Map.entry("businessKey", key(64)),
          Map.entry("messageId", key(64)),
          Map.entry("channelId", code(32)),
          Map.entry("channel", code(32)),
          Map.entry("bankId", code(32)),
          Map.entry("topic", code(64)),
          Map.entry("tags", new Constraint(Kind.TEXT, 128, 0, 0)),
          Map.entry("xid", new Constraint(Kind.TEXT, 128, 0, 0)),
          Map.entry("reason", new Constraint(Kind.TEXT, 256, 0, 0)),
          Map.entry("payload", new Constraint(Kind.JSON, 16_384, 0, 0)),
          Map.entry("signature", new Constraint(Kind.SIGNATURE, 0, 0, 0)),
          Map.entry("userId", new Constraint(Kind.ID, 0, 1, Long.MAX_VALUE)),
          Map.entry("success", new Constraint(Kind.IGNORED, 0, 0, 0)),
          // read only in a failure: its cases are written with a failed result (handWritten)
          Map.entry("PaymentService.reason", new Constraint(Kind.IGNORED, 0, 0, 0)),
          // an operator action's why (OperatorAction.MAX_REASON)
          Map.entry("PointsService.reason", new Constraint(Kind.TEXT, 128, 0, 0)),
          Map.entry("PortalService.reason", new Constraint(Kind.TEXT, 128, 0, 0)),
          Map.entry("AccountService.reason", new Constraint(Kind.TEXT, 128, 0, 0)),
          Map.entry("headers", new Constraint(Kind.IGNORED, 0, 0, 0)),
          Map.entry("readyAt", amount(0, Long.MAX_VALUE)),
          Map.entry("attempt", amount(0, Integer.MAX_VALUE)),
          Map.entry("MallService.points", amount(1, MallService.MAX_POINTS)),
          Map.entry("PointsService.points", amount(1, PointsService.MAX_POINTS)),
          Map.entry("PortalService.amount", amount(1, PortalService.MAX_QUOTA)),
          Map.entry("AccountService.amount", amount(1, AccountService.MAX_AMOUNT)),
          Map.entry("AccountService.openingBalance", amount(0, AccountService.MAX_AMOUNT)),
          Map.entry("PaymentService.amountCents", amount(1, PaymentService.MAX_AMOUNT_CENTS)),
          Map.entry("PaymentService.awardPoints", amount(0, PointsService.MAX_POINTS)));

  /**
   * Unknown ids: valid in form, absent from the topology. Only where the method looks the id up (a
   * grant or an open creates what it does not find, by contract), with the code it answers.
   */
  static final Map<String, String> UNKNOWN =
      Map.ofEntries(
          Map.entry("MallService.order orderNo", "UNKNOWN_ORDER"),
          // not request.userId: the shared topology's mall runs without the pre-check, so an
          // unknown
          // user is refused inside the global transaction and the order is recorded CANCELLED
          // with UNKNOWN_USER, as the API says (an outcome, not an input refusal)
          Map.entry("MallService.placeOrder request.lines[0].channelId", "UNKNOWN_CHANNEL"),
          Map.entry("PaymentService.queryPayment paymentNo", "UNKNOWN_PAYMENT"),
          Map.entry("PaymentService.completePayment paymentNo", "UNKNOWN_PAYMENT"),
          Map.entry("PaymentService.createPayment request.merchantId", "UNKNOWN_MERCHANT"),
          Map.entry("PaymentService.createPayment request.channelId", "UNKNOWN_CHANNEL"),
          Map.entry("PointsService.balance userId", "UNKNOWN_USER"),
          Map.entry("PointsService.balance channelId", "UNKNOWN_CHANNEL"),
          Map.entry("PointsService.grant channelId", "UNKNOWN_CHANNEL"),
          Map.entry("PointsService.tryFreeze request.channelId", "UNKNOWN_CHANNEL"),
          Map.entry("PointsService.tryCredit request.channelId", "UNKNOWN_CHANNEL"),
          Map.entry("PortalService.quota channelId", "UNKNOWN_CHANNEL"),
          Map.entry("AccountService.balance accountId", "UNKNOWN_ACCOUNT"),
          Map.entry("OutboxCheck.check businessKey", "ROLLED_BACK"),
          Map.entry("OutboxCheck.check xid", "ROLLED_BACK"));

  private static TopologyConfig config;
  private static JdbcTemplate jdbc;
  private static final Map<String, DubboNode> NODES = new ConcurrentHashMap<>();
  private static final Map<String, Object> PROXIES = new ConcurrentHashMap<>();
  private static List<String> tables;

  // the data the good calls refer to, made once before the corpus
  private static long user;
  private static String merchant;
  private static String order;
  private static String orderXid;
  private static String createdPayment;
  private static String paidPayment;
  private static String paidBankTxn;
  private static String paidXid;

  /**
   * CREATED payments, one per hand-written case that today's code may claim (a failure reason past
   * its column leaves its payment PROCESSING): no such case spoils another's payment.
   */
  private static final List<String> SPARE = new ArrayList<>();

  @BeforeAll
  static void seed() {
    config = SharedTopology.get().config();
    Clients clients = SharedTopology.get().clients();
    jdbc = config.serverJdbc();
    String run = UUID.randomUUID().toString().substring(0, 8);
    user = 800_000_000L + System.currentTimeMillis() % 1_000_000;
    merchant = "m-corpus-" + run;
    clients.points(A).grant(A, user, 100_000, "test InputCorpusIT");
    clients.account().open(merchant, 0, "test InputCorpusIT");
    // a second merchant with an account: a repeat of a payment to it differs only in its terms
    clients.account().open(merchant + "-2", 0, "test InputCorpusIT");
    OrderResult placed =
        clients.mall().placeOrder(new PlaceOrderRequest("corpus-" + run, user, lines(A, 10)));
    assertThat(placed.status()).isEqualTo(OrderStatus.CONFIRMED);
    order = placed.orderNo();
    orderXid = placed.xid();
    createdPayment = "corpus-created-" + run;
    clients.payment().createPayment(payment(createdPayment, 1_000));
    for (int i = 0; i < 8; i++) {
      SPARE.add("corpus-spare-" + i + "-" + run);
      clients.payment().createPayment(payment(SPARE.get(i), 1_000));
    }
    paidPayment = "corpus-paid-" + run;
    paidBankTxn = "bt-corpus-" + run;
    clients.payment().createPayment(payment(paidPayment, 1_000));
    var paid =
        clients
            .payment()
            .completePayment(
                paidPayment, LocalBank.result(paidPayment, paidBankTxn, true, 1_000, null));
    assertThat(paid.status()).isEqualTo(PaymentStatus.PAID);
    paidXid = paid.xid();
    tables =
        jdbc.queryForList(
            "SELECT CONCAT('`', table_schema, '`.`', table_name, '`') FROM information_schema.tables"
                + " WHERE table_type = 'BASE TABLE' AND table_schema IN ("
                + config.schemas().stream().map(s -> "'" + s + "'").collect(Collectors.joining(","))
                + ") ORDER BY 1",
            String.class);
    assertThat(tables).hasSizeGreaterThan(20);
    awaitQuiet();
  }

  // ---------------------------------------------------------------------------------------------
  // The good call of every method: a call that would succeed (or, for a Try, reach its global
  // transaction check). Each case changes one value of it.
  // ---------------------------------------------------------------------------------------------
  private static Object[] good(Class<?> api, String group, String method) {
    String fresh = "corpus-" + UUID.randomUUID().toString().substring(0, 12);
    return switch (api.getSimpleName() + "." + method) {
      case "MallService.placeOrder" -> args(new PlaceOrderRequest(fresh, user, lines(A, 10)));
      case "MallService.order" -> args(order);
      case "PaymentService.createPayment" -> args(payment(fresh, 1_000));
      case "PaymentService.completePayment" ->
          args(
              createdPayment,
              BankResult.unsigned(LocalBank.ID, "bt-" + fresh, true, 1_000, null)
                  .withSignature(SIGN));
      case "PaymentService.queryPayment" -> args(createdPayment);
      case "PointsService.tryFreeze" -> args(new FreezeRequest(A, fresh, user, 10));
      case "PointsService.tryCredit" ->
          args(new io.txcenter.points.api.CreditRequest(A, fresh, user, 10));
      case "PointsService.balance" -> args(A, user);
      case "PointsService.grant" -> args(A, user, 10L, "corpus grant");
      case "PortalService.tryFreezeQuota" ->
          args(new QuotaFreezeRequest(fresh, List.of(new QuotaLine(A, 10))));
      case "PortalService.quota" -> args(A);
      case "PortalService.quotas" -> args();
      case "PortalService.grant" -> args(A, 10L, "corpus grant");
      case "AccountService.tryCredit" ->
          args(new io.txcenter.account.api.CreditRequest(merchant, fresh, 100));
      case "AccountService.balance" -> args(merchant);
      case "AccountService.open" -> args("m-" + fresh, 0L, "corpus opening");
      case "AccountService.hasAccount" -> args(merchant);
      case "OutboxCheck.check" ->
          "mall".equals(group)
              ? args("accompaniment", order, orderXid)
              : args("merchant-notify", paidPayment, paidXid);
      case "EventConsumer.consume" -> args(event(group, fresh));
      default -> throw new IllegalStateException("no good call of " + api.getName() + "." + method);
    };
  }

  /** Stands for "sign this result as the bank would, after the case changed it". */
  private static final String SIGN = "<sign>";

  private static EventMessage event(String group, String key) {
    String payload =
        switch (group) {
          case "accounting" ->
              "{\"event\":\"PAYMENT_VOUCHER\",\"paymentNo\":\""
                  + key
                  + "\",\"merchantId\":\"m-1\",\"amountCents\":100}";
          case "notifier" ->
              "{\"paymentNo\":\"" + key + "\",\"merchantId\":\"m-1\",\"status\":\"PAID\"}";
          default -> "{\"event\":\"ORDER_PLACED\",\"orderNo\":\"" + key + "\"}";
        };
    String topic =
        switch (group) {
          case "accounting" -> "accounting";
          case "notifier" -> "merchant-notify";
          default -> "accompaniment";
        };
    return new EventMessage(
        UUID.randomUUID().toString(),
        topic,
        "OPS",
        key,
        payload,
        Map.of(),
        System.currentTimeMillis(),
        // past the failures the cs subscriber is told to make
        SharedTopology.CS_FAILS + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // The corpus
  // ---------------------------------------------------------------------------------------------

  /** A case: its name, the call, and the code it must be refused with. */
  record Case(
      String name, Class<?> api, String group, Method method, Object[] args, Expect expect) {}

  /** What a case must answer: a typed code, or (OutboxCheck) an outcome other than COMMITTED. */
  record Expect(String code, boolean anyOutcome, String recordTable) {
    Expect(String code, boolean anyOutcome) {
      this(code, anyOutcome, null);
    }

    static Expect code(String code) {
      return new Expect(code, false);
    }

    /** The refusal is also recorded for an operator: one table ({@code table}) must change. */
    Expect recordedIn(String table) {
      return new Expect(code, anyOutcome, table);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyMethodRefusesBadInput_withATypedCode_andChangesNoRow() {
    List<Case> cases = corpus();
    System.out.println("bad-input corpus: " + cases.size() + " cases");
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> run(c)));
  }

  /** No blind spot: every interface of every api jar is in the corpus or known unexported. */
  @Test
  void everyApiInterface_isInTheCorpus_andEveryMethodHasCases() throws Exception {
    Set<Class<?>> found = new TreeSet<>(java.util.Comparator.comparing(Class::getName));
    for (Class<?> anchor :
        List.of(
            MallService.class,
            PaymentService.class,
            PointsService.class,
            PortalService.class,
            AccountService.class,
            OutboxCheck.class)) {
      found.addAll(interfacesBeside(anchor));
    }
    assertThat(found).isNotEmpty();
    for (Class<?> api : found) {
      assertThat(EXPORTED.containsKey(api) || NOT_EXPORTED.containsKey(api))
          .as("api interface %s is neither in the corpus nor known unexported", api.getName())
          .isTrue();
    }
    Map<String, Long> perMethod =
        corpus().stream()
            .collect(
                Collectors.groupingBy(
                    c -> c.api().getSimpleName() + "." + c.method().getName(),
                    Collectors.counting()));
    for (Class<?> api : EXPORTED.keySet()) {
      for (Method m : api.getMethods()) {
        if (m.getParameterCount() > 0) {
          assertThat(perMethod.getOrDefault(api.getSimpleName() + "." + m.getName(), 0L))
              .as("cases of %s.%s", api.getSimpleName(), m.getName())
              .isGreaterThan(0);
        }
      }
    }
    Set<String> names = corpus().stream().map(Case::name).collect(Collectors.toSet());
    assertThat(names).as("case names are unique").hasSize(corpus().size());
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(150);
  }

  static List<Case> corpus() {
    List<Case> cases = new ArrayList<>();
    List<Class<?>> apis = new ArrayList<>(EXPORTED.keySet());
    apis.sort(java.util.Comparator.comparing(Class::getSimpleName));
    for (Class<?> api : apis) {
      for (String group : EXPORTED.get(api)) {
        Method[] methods = api.getMethods();
        Arrays.sort(methods, java.util.Comparator.comparing(Method::getName));
        for (Method m : methods) {
          if (Modifier.isStatic(m.getModifiers()) || m.getParameterCount() == 0) {
            continue;
          }
          cases.addAll(generated(api, group, m));
        }
      }
    }
    cases.addAll(handWritten());
    return cases;
  }

  /** Generated: for each argument (and each component of a record argument), each bad value. */
  private static List<Case> generated(Class<?> api, String group, Method m) {
    List<Case> cases = new ArrayList<>();
    String service = api.getSimpleName();
    String prefix =
        service
            + "."
            + m.getName()
            + (group == null || isSingleGroup(api) ? "" : "[" + group + "]");
    Parameter[] params = m.getParameters();
    for (int i = 0; i < params.length; i++) {
      final int index = i;
      Parameter p = params[i];
      if (p.getType().isRecord()) {
        // the record itself missing
        cases.add(
            new Case(
                prefix + " " + p.getName() + " null",
                api,
                group,
                m,
                with(good(api, group, m.getName()), index, null),
                expectFor(service, m.getName(), p.getName(), "null")));
        for (RecordComponent rc : p.getType().getRecordComponents()) {
          String path = p.getName() + "." + rc.getName();
          for (Bad bad :
              badValues(
                  service,
                  service + "." + m.getName() + " " + path,
                  rc.getName(),
                  rc.getType(),
                  rc.getGenericType())) {
            Object[] args = good(api, group, m.getName());
            args[index] = replace((Record) args[index], rc.getName(), bad.value().get());
            cases.add(newCase(api, group, m, prefix, service, path, bad, args));
          }
          if (rc.getType() == List.class) {
            // the components of the first element of a list of records
            Object[] sample = good(api, group, m.getName());
            List<?> list = (List<?>) component((Record) sample[index], rc.getName());
            if (!list.isEmpty() && list.get(0) instanceof Record element) {
              for (RecordComponent ec : element.getClass().getRecordComponents()) {
                String elementPath = path + "[0]." + ec.getName();
                for (Bad bad :
                    badValues(
                        service,
                        service + "." + m.getName() + " " + elementPath,
                        ec.getName(),
                        ec.getType(),
                        ec.getGenericType())) {
                  Object[] args = good(api, group, m.getName());
                  Record request = (Record) args[index];
                  List<Object> changed =
                      new ArrayList<>((List<?>) component(request, rc.getName()));
                  changed.set(0, replace((Record) changed.get(0), ec.getName(), bad.value().get()));
                  args[index] = replace(request, rc.getName(), changed);
                  cases.add(newCase(api, group, m, prefix, service, elementPath, bad, args));
                }
              }
            }
          }
        }
      } else {
        for (Bad bad :
            badValues(
                service,
                service + "." + m.getName() + " " + p.getName(),
                p.getName(),
                p.getType(),
                p.getParameterizedType())) {
          cases.add(
              newCase(
                  api,
                  group,
                  m,
                  prefix,
                  service,
                  p.getName(),
                  bad,
                  with(good(api, group, m.getName()), index, bad.value().get())));
        }
      }
    }
    return cases;
  }

  private static boolean isSingleGroup(Class<?> api) {
    return EXPORTED.get(api).size() == 1;
  }

  private static Case newCase(
      Class<?> api,
      String group,
      Method m,
      String prefix,
      String service,
      String path,
      Bad bad,
      Object[] args) {
    String name = prefix + " " + path + " " + bad.label();
    String unknownKey = service + "." + m.getName() + " " + path;
    Expect expect =
        bad.label().equals("unknown")
            ? Expect.code(UNKNOWN.get(unknownKey))
            : expectFor(service, m.getName(), path, bad.label());
    return new Case(name, api, group, m, args, expect);
  }

  /** A bad value and its label in the case name. */
  record Bad(String label, Supplier<Object> value) {}

  private static List<Bad> badValues(
      String service, String lookup, String field, Class<?> type, java.lang.reflect.Type generic) {
    Constraint c = FIELDS.getOrDefault(service + "." + field, FIELDS.get(field));
    List<Bad> bad = new ArrayList<>();
    if (type == String.class) {
      if (c == null || c.kind() == Kind.IGNORED) {
        return bad;
      }
      bad.add(new Bad("null", () -> null));
      bad.add(new Bad("empty", () -> ""));
      switch (c.kind()) {
        case KEY, CODE, TEXT, JSON -> {
          if (c.kind() != Kind.JSON) {
            bad.add(
                new Bad("over-width(" + (c.width() + 1) + ")", () -> "x".repeat(c.width() + 1)));
          } else {
            bad.add(new Bad("not-json", () -> "not json {"));
            bad.add(new Bad("json-array", () -> "[1,2]"));
          }
          bad.add(new Bad("huge", () -> "x".repeat(HUGE)));
          if (c.kind() == Kind.KEY || c.kind() == Kind.CODE) {
            bad.add(new Bad("wrong-charset", () -> c.kind() == Kind.CODE ? "CH-Ä" : "订单-ü"));
            bad.add(new Bad("sql-shaped", () -> "x' OR '1'='1"));
          }
          if (c.kind() == Kind.TEXT) {
            bad.add(new Bad("blank", () -> "   "));
          }
        }
        case SIGNATURE -> bad.add(new Bad("garbage", () -> "not-a-signature"));
        default -> {}
      }
      if (c.kind() == Kind.KEY || c.kind() == Kind.CODE || c.kind() == Kind.TEXT) {
        bad.add(new Bad("unknown", () -> "zz-" + shortId()));
      }
    } else if (type == long.class || type == int.class) {
      if (c == null || c.kind() == Kind.IGNORED) {
        return bad;
      }
      boolean isInt = type == int.class;
      if (c.min() > 0) {
        bad.add(new Bad("zero", () -> isInt ? (Object) 0 : (Object) 0L));
      }
      bad.add(new Bad("negative", () -> isInt ? (Object) (-1) : (Object) (-1L)));
      bad.add(
          new Bad("min-value", () -> isInt ? (Object) Integer.MIN_VALUE : (Object) Long.MIN_VALUE));
      if (c.max() < (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE)) {
        bad.add(
            new Bad(
                "one-past-max",
                () -> isInt ? (Object) (int) (c.max() + 1) : (Object) (c.max() + 1)));
        bad.add(
            new Bad(
                "overflow", () -> isInt ? (Object) Integer.MAX_VALUE : (Object) Long.MAX_VALUE));
      }
      if (c.kind() == Kind.ID) {
        bad.add(new Bad("unknown", () -> 9_000_000_000_000L + System.nanoTime() % 1_000_000));
      }
    } else if (type == List.class) {
      // the element type decides the lines: a provider deserializes only classes on its own class
      // path, so the portal gets its own QuotaLine and a portal class where a line belongs (a
      // class it does not have arrives as a map, and the call is refused as a bad signature)
      boolean quota =
          generic instanceof java.lang.reflect.ParameterizedType p
              && p.getActualTypeArguments()[0] == QuotaLine.class;
      int maxLines = quota ? PortalService.MAX_LINES : MallService.MAX_LINES;
      java.util.function.BiFunction<String, Long, Object> line =
          quota ? QuotaLine::new : (channel, points) -> new OrderLine(channel, points);
      bad.add(new Bad("null", () -> null));
      bad.add(new Bad("empty", List::of));
      bad.add(
          new Bad(
              "too-many(" + (maxLines + 1) + ")",
              () -> {
                List<Object> many = new ArrayList<>();
                for (int i = 0; i < maxLines + 1; i++) {
                  many.add(line.apply("c-" + i, 1L));
                }
                return many;
              }));
      bad.add(new Bad("null-element", () -> Collections.singletonList(null)));
      bad.add(new Bad("repeated-element", () -> List.of(line.apply(A, 1L), line.apply(A, 2L))));
      bad.add(new Bad("unexpected-class(String)", () -> List.of("ch-a:10")));
      if (quota) {
        bad.add(
            new Bad(
                "unexpected-class(ChannelQuota)", () -> List.of(new ChannelQuota(A, 1, 1, 0, 0))));
      } else {
        bad.add(
            new Bad(
                "unexpected-class(FreezeRequest)", () -> List.of(new FreezeRequest(A, "x", 1, 1))));
      }
    }
    // an unknown id only where the method looks it up (see UNKNOWN)
    return bad.stream()
        .filter(b -> !b.label().equals("unknown") || UNKNOWN.containsKey(lookup))
        .toList();
  }

  /** The code a bad value of {@code path} gets from {@code service.method}. */
  private static Expect expectFor(String service, String method, String path, String label) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    Constraint c = FIELDS.getOrDefault(service + "." + field, FIELDS.get(field));
    boolean isAmount = c != null && c.kind() == Kind.AMOUNT;
    return switch (service) {
      case "EventConsumer" -> Expect.code("REJECTED");
      case "OutboxCheck" -> new Expect("ROLLED_BACK", field.equals("topic"));
      case "PaymentService" -> {
        if (path.equals("result.amountCents")
            && (label.equals("one-past-max") || label.equals("overflow"))) {
          // well formed, signed, and not the payment's amount
          yield Expect.code("AMOUNT_MISMATCH");
        }
        if (path.equals("result") || path.startsWith("result.")) {
          yield Expect.code(field.equals("signature") ? "BAD_SIGNATURE" : "MALFORMED_BANK_RESULT");
        }
        yield Expect.code(isAmount ? "INVALID_AMOUNT" : "INVALID_REQUEST");
      }
      // a points service holds one channel: any other value names a channel it does not know
      case "PointsService" ->
          Expect.code(
              field.startsWith("channel")
                  ? "UNKNOWN_CHANNEL"
                  : isAmount ? "INVALID_AMOUNT" : "INVALID_REQUEST");
      default -> Expect.code(isAmount ? "INVALID_AMOUNT" : "INVALID_REQUEST");
    };
  }

  /** Cases the generator cannot derive: repeats with other content, forged XIDs, no transaction. */
  private static List<Case> handWritten() {
    List<Case> cases = new ArrayList<>();
    Method placeOrder = method(MallService.class, "placeOrder");
    cases.add(
        new Case(
            "MallService.placeOrder request repeat-other-lines",
            MallService.class,
            null,
            placeOrder,
            args(new PlaceOrderRequest(order, user, lines(A, 11))),
            Expect.code("DUPLICATE_ORDER")));
    cases.add(
        new Case(
            "MallService.placeOrder request repeat-other-user",
            MallService.class,
            null,
            placeOrder,
            args(new PlaceOrderRequest(order, user + 1, lines(A, 10))),
            Expect.code("DUPLICATE_ORDER")));
    // a payment number again with each term changed to another valid value
    Method create = method(PaymentService.class, "createPayment");
    Map<String, CreatePaymentRequest> repeats = new LinkedHashMap<>();
    CreatePaymentRequest first = payment(createdPayment, 1_000);
    repeats.put("merchantId", replace(first, "merchantId", merchant + "-2"));
    repeats.put("userId", replace(first, "userId", user + 1));
    repeats.put("channelId", replace(first, "channelId", SharedTopology.B));
    repeats.put("amountCents", replace(first, "amountCents", 1_001L));
    repeats.put("awardPoints", replace(first, "awardPoints", 11L));
    repeats.forEach(
        (field, request) ->
            cases.add(
                new Case(
                    "PaymentService.createPayment request repeat-other-" + field,
                    PaymentService.class,
                    null,
                    create,
                    args(request),
                    Expect.code("DUPLICATE_PAYMENT"))));
    Method complete = method(PaymentService.class, "completePayment");
    cases.add(
        new Case(
            "PaymentService.completePayment result.amountCents other-than-the-payment",
            PaymentService.class,
            null,
            complete,
            args(
                createdPayment,
                BankResult.unsigned(LocalBank.ID, "bt-x1", true, 999, null).withSignature(SIGN)),
            Expect.code("AMOUNT_MISMATCH")));
    cases.add(
        new Case(
            "PaymentService.completePayment result.signature of-another-payment",
            PaymentService.class,
            null,
            complete,
            args(createdPayment, LocalBank.result(paidPayment, "bt-x2", true, 1_000, null)),
            Expect.code("BAD_SIGNATURE")));
    cases.add(
        new Case(
            "PaymentService.completePayment result.bankId no-secret-here",
            PaymentService.class,
            null,
            complete,
            args(
                createdPayment,
                BankResult.unsigned("other-bank", "bt-x3", true, 1_000, null)
                    .withSignature("AAAA")),
            Expect.code("BAD_SIGNATURE")));
    // failure results: their reason is read
    int spare = 0;
    for (Bad bad : badValues("BankResult", "", "reason", String.class, String.class)) {
      if (bad.label().equals("unknown")) {
        continue;
      }
      cases.add(
          new Case(
              "PaymentService.completePayment result.reason " + bad.label(),
              PaymentService.class,
              null,
              complete,
              args(
                  SPARE.get(spare++),
                  BankResult.unsigned(
                          LocalBank.ID, "bt-" + shortId(), false, 1_000, (String) bad.value().get())
                      .withSignature(SIGN)),
              Expect.code("MALFORMED_BANK_RESULT")));
    }
    cases.add(
        new Case(
            "PaymentService.completePayment result.bankTxnNo reused",
            PaymentService.class,
            null,
            complete,
            args(
                SPARE.get(spare),
                BankResult.unsigned(LocalBank.ID, paidBankTxn, true, 1_000, null)
                    .withSignature(SIGN)),
            Expect.code("BANK_TXN_REUSED")));
    cases.add(
        new Case(
            "PaymentService.completePayment result repeat-conflicting-status",
            PaymentService.class,
            null,
            complete,
            args(
                paidPayment,
                BankResult.unsigned(LocalBank.ID, paidBankTxn, false, 1_000, "declined")
                    .withSignature(SIGN)),
            Expect.code("CONFLICTING_BANK_RESULT").recordedIn("payment_conflict")));
    // Try methods: without a global transaction, and with a forged one
    for (String tryMethod :
        List.of(
            "PointsService.tryFreeze",
            "PointsService.tryCredit",
            "PortalService.tryFreezeQuota",
            "AccountService.tryCredit")) {
      Class<?> api =
          switch (tryMethod.substring(0, tryMethod.indexOf('.'))) {
            case "PointsService" -> PointsService.class;
            case "PortalService" -> PortalService.class;
            default -> AccountService.class;
          };
      String group = EXPORTED.get(api).get(0);
      Method m = method(api, tryMethod.substring(tryMethod.indexOf('.') + 1));
      cases.add(
          new Case(
              tryMethod + " no-global-transaction",
              api,
              group,
              m,
              good(api, group, m.getName()),
              Expect.code("NO_GLOBAL_TRANSACTION")));
      cases.add(
          new Case(
              tryMethod + " forged-xid",
              api,
              group,
              m,
              good(api, group, m.getName()),
              Expect.code("TRANSACTION_NOT_ACTIVE")));
    }
    // interfaces `txc up` does not export: nothing to reach
    NOT_EXPORTED.forEach(
        (api, group) -> {
          for (Method m : api.getMethods()) {
            if (m.getParameterCount() > 0 && !Modifier.isStatic(m.getModifiers())) {
              cases.add(
                  new Case(
                      api.getSimpleName() + "." + m.getName() + " not-exported",
                      api,
                      group.isEmpty() ? null : group,
                      m,
                      defaults(m),
                      Expect.code("NO_PROVIDER")));
            }
          }
        });
    return cases;
  }

  // ---------------------------------------------------------------------------------------------
  // Running one case
  // ---------------------------------------------------------------------------------------------
  private static void run(Case c) throws Exception {
    try {
      check(c);
    } catch (AssertionError e) {
      throw new AssertionError(c.name() + ": " + e.getMessage(), e);
    }
  }

  private static void check(Case c) throws Exception {
    String expected = c.expect().code();
    Object[] args = sign(c);
    Map<String, Long> before = snapshot();
    Object proxy = proxy(c);
    AtomicReference<Object> returned = new AtomicReference<>();
    Throwable thrown = null;
    boolean forged = c.name().endsWith(" forged-xid");
    if (forged) {
      RootContext.bind("127.0.0.1:8091:" + (4_000_000_000_000L + System.nanoTime() % 1_000_000));
    }
    try {
      returned.set(c.method().invoke(proxy, args));
    } catch (InvocationTargetException e) {
      thrown = e.getCause();
    } finally {
      if (forged) {
        RootContext.unbind();
      }
    }
    Map<String, Long> after = snapshot();
    String record = c.expect().recordTable();
    if (record != null) {
      // the refusal's own record (issue 13: a conflicting bank result is recorded and alerted)
      List<String> recorded =
          after.keySet().stream()
              .filter(t -> t.endsWith("." + record))
              .filter(t -> !Objects.equals(before.get(t), after.get(t)))
              .toList();
      assertThat(recorded).as(c.name() + ": the refusal recorded in " + record).hasSize(1);
      recorded.forEach(t -> before.put(t, after.get(t)));
    }
    if (!after.equals(before)) {
      // the topology's own work (a relay, a reaper) may have moved: only a change that persists
      // the case's own quiet window is the case's
      List<String> changed =
          after.keySet().stream()
              .filter(t -> !Objects.equals(before.get(t), after.get(t)))
              .toList();
      // let what the case set going (a delivery, a notification) finish before the next case
      awaitQuiet();
      throw new AssertionError(
          "rows changed in " + changed + "; answer: " + describe(returned.get(), thrown));
    }
    if (c.api() == OutboxCheck.class) {
      assertThat(thrown)
          .as("a check answers, it does not throw: %s", describe(null, thrown))
          .isNull();
      if (!c.expect().anyOutcome()) {
        assertThat(returned.get())
            .as("a question about no committed business operation")
            .isNotEqualTo(OutboxCheck.CheckOutcome.COMMITTED);
      }
      return;
    }
    if (expected.equals("NO_PROVIDER")) {
      assertThat(thrown)
          .isInstanceOf(RpcException.class)
          .hasMessageContaining("No provider available");
      return;
    }
    assertThat(thrown).as("refused; answer was %s", describe(returned.get(), null)).isNotNull();
    assertThat(thrown)
        .as("not an authorization refusal: the case calls as the legitimate caller")
        .isNotInstanceOf(SecurityException.class);
    String code = codeOf(thrown);
    assertThat(code).as("typed code of %s", describe(null, thrown)).isEqualTo(expected);
    String message = String.valueOf(thrown.getMessage());
    for (String input : strings(args)) {
      if (input.length() > MAX_ECHO) {
        assertThat(message)
            .as(
                "message echoes at most %d characters of an input (message of %d chars)",
                MAX_ECHO, message.length())
            .doesNotContain(input.substring(0, MAX_ECHO + 1));
      }
    }
  }

  private static String describe(Object returned, Throwable thrown) {
    if (thrown == null) {
      return "returned " + returned;
    }
    String m = String.valueOf(thrown.getMessage());
    return thrown.getClass().getName() + ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m);
  }

  /** The name of the typed code a refusal carries, or null if it carries none. */
  private static String codeOf(Throwable thrown) {
    try {
      Method code = thrown.getClass().getMethod("code");
      Object value = code.invoke(thrown);
      return value instanceof Enum<?> e ? e.name() : null;
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static Object[] sign(Case c) {
    Object[] args = c.args().clone();
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof BankResult r && SIGN.equals(r.signature())) {
        String paymentNo = (String) args[0];
        String secret =
            Secrets.find(BankSignature.secretName(String.valueOf(r.bankId()))).orElse(null);
        if (secret == null || paymentNo == null || r.bankId() == null || r.bankTxnNo() == null) {
          args[i] = r.withSignature("unsignable");
        } else {
          try {
            args[i] = LocalBank.sign(paymentNo, r);
          } catch (RuntimeException e) {
            args[i] = r.withSignature("unsignable");
          }
        }
      }
    }
    return args;
  }

  private static Object proxy(Case c) {
    String identity =
        CALLER.getOrDefault(c.api().getSimpleName() + "." + c.method().getName(), "operator");
    return PROXIES.computeIfAbsent(
        identity + "/" + c.api().getName() + "/" + c.group(),
        k -> NODES.computeIfAbsent(identity, ActAs::identity).reference(c.api(), c.group()));
  }

  // ---------------------------------------------------------------------------------------------
  // No row changed: CHECKSUM TABLE of every table of every schema of the topology
  // ---------------------------------------------------------------------------------------------
  private static Map<String, Long> snapshot() {
    Map<String, Long> sums = new TreeMap<>();
    jdbc.query(
        "CHECKSUM TABLE " + String.join(", ", tables),
        rs -> {
          sums.put(rs.getString(1), rs.getLong(2));
        });
    return sums;
  }

  /** Waits until no table changes for a second: the seed's transactions and deliveries are done. */
  private static void awaitQuiet() {
    AtomicReference<Map<String, Long>> last = new AtomicReference<>(snapshot());
    AtomicReference<Long> since = new AtomicReference<>(System.nanoTime());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Map<String, Long> now = snapshot();
              if (!now.equals(last.get())) {
                last.set(now);
                since.set(System.nanoTime());
                return false;
              }
              return System.nanoTime() - since.get() > 1_000_000_000L;
            });
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------
  private static Object[] args(Object... values) {
    return values;
  }

  private static Object[] with(Object[] args, int index, Object value) {
    Object[] copy = args.clone();
    copy[index] = value;
    return copy;
  }

  private static List<OrderLine> lines(String channel, long points) {
    return List.of(new OrderLine(channel, points));
  }

  private static CreatePaymentRequest payment(String paymentNo, long cents) {
    return new CreatePaymentRequest(paymentNo, merchant, user, A, cents, 10);
  }

  private static String shortId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  private static Method method(Class<?> api, String name) {
    return Arrays.stream(api.getMethods())
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Zero values of a method's parameters (for calls that must not get as far as the method). */
  private static Object[] defaults(Method m) {
    Object[] args = new Object[m.getParameterCount()];
    Class<?>[] types = m.getParameterTypes();
    for (int i = 0; i < types.length; i++) {
      if (types[i] == long.class) {
        args[i] = 1L;
      } else if (types[i] == int.class) {
        args[i] = 1;
      } else if (types[i] == String.class) {
        args[i] = "corpus";
      } else if (types[i] == List.class) {
        args[i] = List.of();
      }
    }
    return args;
  }

  private static Object component(Record record, String name) {
    try {
      return record.getClass().getMethod(name).invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code record} with component {@code name} set to {@code value} (any class: hostile input). */
  @SuppressWarnings("unchecked")
  static <R extends Record> R replace(R record, String name, Object value) {
    RecordComponent[] components = record.getClass().getRecordComponents();
    Object[] values = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] =
          components[i].getName().equals(name) ? value : component(record, components[i].getName());
    }
    try {
      Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
      return (R) canonical.newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every string inside {@code values} (records, lists and maps opened). */
  private static List<String> strings(Object... values) {
    List<String> out = new ArrayList<>();
    for (Object v : values) {
      if (v instanceof String s) {
        out.add(s);
      } else if (v instanceof Record r) {
        for (RecordComponent rc : r.getClass().getRecordComponents()) {
          out.addAll(strings(component(r, rc.getName())));
        }
      } else if (v instanceof List<?> list) {
        out.addAll(strings(list.toArray()));
      } else if (v instanceof Object[] array) {
        out.addAll(strings(array));
      }
    }
    return out;
  }

  /** The public interfaces in the same jar (or classes directory) and package as {@code anchor}. */
  private static List<Class<?>> interfacesBeside(Class<?> anchor) throws Exception {
    Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    String packagePath = anchor.getPackageName().replace('.', '/') + "/";
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location.resolve(packagePath))) {
        files
            .map(f -> location.relativize(f).toString().replace(File.separatorChar, '/'))
            .forEach(names::add);
      }
    } else {
      try (JarFile jar = new JarFile(location.toFile())) {
        jar.stream().map(e -> e.getName()).forEach(names::add);
      }
    }
    List<Class<?>> found = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith(packagePath) && name.endsWith(".class") && !name.contains("$")) {
        Class<?> type = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'));
        if (type.isInterface() && Modifier.isPublic(type.getModifiers())) {
          found.add(type);
        }
      }
    }
    return found;
  }
}
