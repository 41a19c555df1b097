package io.txcenter.mall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.txcenter.kit.FenceErrors;
import io.txcenter.kit.MyBatisStore;
import io.txcenter.kit.TccFence;
import io.txcenter.mall.api.MallErrorCode;
import io.txcenter.mall.api.MallException;
import io.txcenter.mall.api.OrderLine;
import io.txcenter.mall.api.OrderResult;
import io.txcenter.mall.api.OrderStatus;
import io.txcenter.mall.api.PlaceOrderRequest;
import io.txcenter.mall.store.OrderMapper;
import io.txcenter.mall.tcc.OrderCreateAction;
import io.txcenter.mall.tcc.OrderCreateTcc;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.OutboxMapper;
import io.txcenter.outbox.Topics;
import io.txcenter.testkit.FenceHarness;
import io.txcenter.testkit.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The order branch on a real database, driven through Seata's fence phase by phase. */
class OrderCreateFenceIT {

  private static HikariDataSource dataSource;
  private static JdbcTemplate jdbc;
  private static OrderMapper orders;
  private static OrderCreateTcc action;
  private static FenceHarness fence;

  @BeforeAll
  static void openSchema() {
    dataSource = TestDatabase.get().freshSchema("mall", "common", "mall", "outbox");
    jdbc = new JdbcTemplate(dataSource);
    TccFence.install(dataSource);
    SqlSessionTemplate store =
        MyBatisStore.open(dataSource, "mapper/OrderMapper.xml", Outbox.BRANCH_STORE);
    orders = store.getMapper(OrderMapper.class);
    Outbox outbox =
        new Outbox(
            OrderEvents.OUTBOX,
            null,
            Topics.parse(OrderEvents.TOPICS),
            store.getMapper(OutboxMapper.class));
    action = new OrderCreateTcc(orders, outbox);
    fence = new FenceHarness(action, OrderCreateAction.NAME);
  }

  @AfterAll
  static void dropSchema() {
    String schema = jdbc.queryForObject("SELECT DATABASE()", String.class);
    dataSource.close();
    TestDatabase.get().dropSchema(schema);
  }

  @Test
  void givenTry_confirmTwice_confirmsTheOrderOnce() {
    String order = orderNo();
    BusinessActionContext branch = FenceHarness.newBranch();

    fence.tryPhase(branch, () -> create(branch, order));
    assertThat(status(order)).isEqualTo("TRYING");
    assertThat(fence.confirm(branch)).isTrue();
    assertThat(fence.confirm(branch)).isTrue();

    assertThat(status(order)).isEqualTo("CONFIRMED");
    assertThat(events(branch)).containsExactly("READY", "READY");
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM order_line WHERE order_no = ?", Long.class, order))
        .isEqualTo(2);
  }

  @Test
  void givenTry_cancel_cancelsTheOrder_andAConfirmAfterwardsChangesNothing() {
    String order = orderNo();
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> create(branch, order));

    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.cancel(branch)).isTrue();
    assertThat(fence.confirm(branch)).isFalse();

    assertThat(status(order)).isEqualTo("CANCELLED");
    assertThat(events(branch)).containsExactly("DISCARDED", "DISCARDED");
  }

  @Test
  void givenCancelBeforeTry_lateTry_isRefusedAndRecordsNoOrder() {
    String order = orderNo();
    BusinessActionContext branch = FenceHarness.newBranch();

    assertThat(fence.cancel(branch)).isTrue();
    assertThatThrownBy(() -> fence.tryPhase(branch, () -> create(branch, order)))
        .satisfies(e -> assertThat(FenceErrors.isSuspended(e)).isTrue());

    assertThat(orders.find(order)).isNull();
  }

  @Test
  void givenASecondAttemptWithTheSameOrderNo_itsTryFails_andItsCancelLeavesTheFirstOrderAlone() {
    String order = orderNo();
    BusinessActionContext first = FenceHarness.newBranch();
    BusinessActionContext second = FenceHarness.newBranch();
    fence.tryPhase(first, () -> create(first, order));

    assertThatThrownBy(() -> fence.tryPhase(second, () -> create(second, order)))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(fence.cancel(second)).isTrue();
    assertThat(fence.confirm(first)).isTrue();

    assertThat(status(order)).isEqualTo("CONFIRMED");
    assertThat(orders.find(order).xid()).isEqualTo(first.getXid());
  }

  @Test
  void badRequests_areRefusedWithStableCodes() {
    assertCode(null, MallErrorCode.INVALID_REQUEST);
    assertCode(request("o 1", 1, new OrderLine("ch-a", 5)), MallErrorCode.INVALID_REQUEST);
    assertCode(request(orderNo(), 0, new OrderLine("ch-a", 5)), MallErrorCode.INVALID_REQUEST);
    assertCode(request(orderNo(), 1), MallErrorCode.INVALID_REQUEST);
    assertCode(request(orderNo(), 1, new OrderLine("CH A", 5)), MallErrorCode.INVALID_REQUEST);
    assertCode(
        request(orderNo(), 1, new OrderLine("ch-a", 5), new OrderLine("ch-a", 6)),
        MallErrorCode.INVALID_REQUEST);
    assertCode(request(orderNo(), 1, new OrderLine("ch-a", 0)), MallErrorCode.INVALID_AMOUNT);
    assertCode(request(orderNo(), 1, new OrderLine("ch-a", -5)), MallErrorCode.INVALID_AMOUNT);
    assertCode(
        request(
            orderNo(), 1, new OrderLine("ch-a", io.txcenter.mall.api.MallService.MAX_POINTS + 1)),
        MallErrorCode.INVALID_AMOUNT);
  }

  @Test
  void givenAnOrder_anIdenticalRepeat_returnsItsOutcome_evenWithTheLinesInAnotherOrder() {
    String order = orderNo();
    placeFirst(order);

    OrderResult repeat =
        mall().placeOrder(request(order, 7, new OrderLine("ch-b", 20), new OrderLine("ch-a", 10)));

    assertThat(repeat.duplicate()).isTrue();
    assertThat(repeat.orderNo()).isEqualTo(order);
    assertThat(repeat.status()).isEqualTo(OrderStatus.CONFIRMED);
    assertThat(repeat.totalPoints()).isEqualTo(30);
  }

  @Test
  void givenAnOrder_aRepeatWithOtherLinesOrAnotherUser_isRefusedDuplicateOrder_andChangesNothing() {
    String order = orderNo();
    placeFirst(order);
    List<java.util.Map<String, Object>> before =
        jdbc.queryForList("SELECT * FROM order_line WHERE order_no = ? ORDER BY channel_id", order);
    java.util.Map<String, Object> orderBefore =
        jdbc.queryForMap("SELECT * FROM mall_order WHERE order_no = ?", order);

    for (PlaceOrderRequest other :
        List.of(
            request(order, 8, new OrderLine("ch-a", 10), new OrderLine("ch-b", 20)),
            request(order, 7, new OrderLine("ch-a", 10), new OrderLine("ch-b", 21)),
            request(order, 7, new OrderLine("ch-a", 10)),
            request(order, 7, new OrderLine("ch-a", 10), new OrderLine("ch-c", 20)),
            request(
                order,
                7,
                new OrderLine("ch-a", 10),
                new OrderLine("ch-b", 20),
                new OrderLine("ch-c", 1)))) {
      assertThatThrownBy(() -> mall().placeOrder(other))
          .as("%s", other)
          .isInstanceOfSatisfying(
              MallException.class,
              e -> assertThat(e.code()).isEqualTo(MallErrorCode.DUPLICATE_ORDER));
    }

    assertThat(
            jdbc.queryForList(
                "SELECT * FROM order_line WHERE order_no = ? ORDER BY channel_id", order))
        .isEqualTo(before);
    assertThat(jdbc.queryForMap("SELECT * FROM mall_order WHERE order_no = ?", order))
        .isEqualTo(orderBefore);
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void givenALineOfAForeignClass_validation_refusesItAsInvalidRequest_notAsAClassCast() {
    List lines = new java.util.ArrayList<>();
    lines.add(new OrderLine("ch-a", 5));
    lines.add(java.util.Map.of("channelId", "ch-b", "points", 5L));

    assertCode(new PlaceOrderRequest(orderNo(), 1, lines), MallErrorCode.INVALID_REQUEST);
  }

  @Test
  void givenAMillionCharacterOrderNumber_theRefusalEchoesOnly64OfThem() {
    String huge = "o".repeat(1_000_000);

    assertThatThrownBy(() -> mall().placeOrder(request(huge, 1, new OrderLine("ch-a", 5))))
        .isInstanceOfSatisfying(
            MallException.class, e -> assertThat(e.code()).isEqualTo(MallErrorCode.INVALID_REQUEST))
        .hasMessageContaining("o".repeat(64) + "…(1000000 chars)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(() -> mall().order(huge))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    assertThatThrownBy(
            () -> mall().placeOrder(request(orderNo(), 1, new OrderLine("c".repeat(100_000), 5))))
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  /** The mall before its pre-checks: a repeat is answered from the order's own rows. */
  private static MallServiceImpl mall() {
    return new MallServiceImpl(orders, action, null, channel -> null, null, false, 30_000);
  }

  /** Records an order of user 7 with lines ch-a 10, ch-b 20, confirmed, as its branch would. */
  private static void placeFirst(String order) {
    BusinessActionContext branch = FenceHarness.newBranch();
    fence.tryPhase(branch, () -> create(branch, order));
    assertThat(fence.confirm(branch)).isTrue();
  }

  private static void assertCode(PlaceOrderRequest request, MallErrorCode code) {
    assertThatThrownBy(() -> MallServiceImpl.validate(request))
        .isInstanceOfSatisfying(MallException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static PlaceOrderRequest request(String orderNo, long user, OrderLine... lines) {
    return new PlaceOrderRequest(orderNo, user, List.of(lines));
  }

  private static void create(BusinessActionContext branch, String order) {
    List<OrderLine> lines = List.of(new OrderLine("ch-a", 10), new OrderLine("ch-b", 20));
    action.tryCreate(
        branch,
        order,
        7,
        30,
        lines,
        OrderEvents.messagesOf(new PlaceOrderRequest(order, 7, lines), 30));
  }

  /** The statuses of the order branch's outbox messages: the order's events ride its branch. */
  private static List<String> events(BusinessActionContext branch) {
    return jdbc.queryForList(
        "SELECT status FROM outbox_message WHERE xid = ? AND branch_id = ?",
        String.class,
        branch.getXid(),
        branch.getBranchId());
  }

  private static String status(String order) {
    return orders.find(order).status();
  }

  private static String orderNo() {
    return "t-" + UUID.randomUUID().toString().substring(0, 12);
  }
}
