package io.txcenter.payment;

import io.txcenter.account.api.AccountService;
import io.txcenter.kit.DubboNode;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.Settings;
import io.txcenter.kit.plugin.PluginContext;
import io.txcenter.kit.plugin.ProcessPlugins;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.outbox.Outbox;
import io.txcenter.outbox.RecordCheck;
import io.txcenter.outbox.api.OutboxCheck;
import io.txcenter.payment.api.PaymentErrorCode;
import io.txcenter.payment.api.PaymentException;
import io.txcenter.payment.api.PaymentService;
import io.txcenter.payment.store.PaymentMapper;
import io.txcenter.payment.store.PaymentRecord;
import io.txcenter.payment.tcc.PaymentSettleTcc;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.PortalService;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment process: its own JVM and schema, because the payment platform is its own system (its
 * own outbox, its own failure domain in the chaos run) that the mall does not share. Settings:
 * {@code txc.jdbc.url} (payment schema), {@code txc.dubbo.port} (20894), {@code
 * txc.payment.tx-timeout.ms} (30000), {@code txc.payment.claim-lease.s} (60), {@code
 * txc.payment.max-channels} (256: most points references it keeps, one per channel the portal
 * knows). Plugins on the class path are installed before the node starts (see {@link
 * ProcessPlugins}); they get the runtime only.
 */
public final class PaymentMain {

  private static final Logger log = LoggerFactory.getLogger(PaymentMain.class);

  private PaymentMain() {}

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start("payment", List.of("payment"), "mapper/PaymentMapper.xml");
    PaymentMapper payments = runtime.mapper(PaymentMapper.class);
    Outbox outbox = Outbox.install(runtime, PaymentEvents.OUTBOX, PaymentEvents.TOPICS);
    int claimLease = (int) Settings.longValue("txc.payment.claim-lease.s", 60);
    startClaimReaper(payments, claimLease);
    DubboNode node = runtime.dubbo(20894);
    // a points reference (and its ZooKeeper consumer node) only for a channel the portal knows
    PaymentChannels channels =
        new PaymentChannels(
            node.reference(PortalService.class, null),
            group -> node.reference(PointsService.class, group),
            (int) Settings.longValue("txc.payment.max-channels", 256));
    PaymentService service =
        new PaymentServiceImpl(
            payments,
            BankKeys.fromSecrets(),
            ParticipantRuntime.tccProxy(new PaymentSettleTcc(payments)),
            node.reference(AccountService.class, null),
            channels,
            new PaymentEvents(outbox),
            (int) Settings.longValue("txc.payment.tx-timeout.ms", 30_000),
            claimLease);
    node.export(
            PaymentService.class,
            service,
            null,
            Callers.of(PaymentService.class)
                .allow("createPayment", "operator")
                .allow("completePayment", "operator")
                .allow("queryPayment", "operator"),
            // a failure outside the service's own checks (an argument of another class) reaches
            // the caller as the API's code, never as a raw framework exception
            (unexpected, badInput, message) ->
                new PaymentException(
                    badInput
                        ? PaymentErrorCode.INVALID_REQUEST
                        : PaymentErrorCode.SERVICE_UNAVAILABLE,
                    message))
        .export(
            OutboxCheck.class,
            // settled (PAID or FAILED) by its transaction: committed; PROCESSING: in flight
            RecordCheck.of(
                "payment",
                payments::find,
                PaymentRecord::xid,
                payment ->
                    "PROCESSING".equals(payment.status())
                        ? OutboxCheck.CheckOutcome.UNKNOWN
                        : OutboxCheck.CheckOutcome.COMMITTED),
            PaymentEvents.OUTBOX,
            Callers.of(OutboxCheck.class).allow("check", "relay"));
    ProcessPlugins.install(PluginContext.of(runtime, node));
    node.start();
    runtime.serve();
  }

  /**
   * A callback killed between its claim and its Try leaves the payment PROCESSING with no xid: no
   * TC will ever settle it. Such claims go back to CREATED once the lease has passed, on start and
   * every lease/4 after, so a repeated callback can complete the payment.
   */
  private static void startClaimReaper(PaymentMapper payments, int leaseSeconds) {
    ScheduledExecutorService reaper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "payment-claim-reaper");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, leaseSeconds / 4);
    reaper.scheduleWithFixedDelay(
        () -> {
          try {
            int released = payments.releaseExpiredClaims(leaseSeconds);
            if (released > 0) {
              log.warn("payment claims released count={} lease_s={}", released, leaseSeconds);
            }
          } catch (RuntimeException e) {
            log.warn("payment claim reaper failed", e);
          }
        },
        0,
        period,
        TimeUnit.SECONDS);
  }
}
