package io.txcenter.kit.tcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txcenter.kit.tcc.TccBranch.Phase;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.seata.common.util.ReflectionUtil;
import org.apache.seata.rm.tcc.TCCResource;
import org.apache.seata.rm.tcc.api.BusinessActionContext;
import org.apache.seata.rm.tcc.api.BusinessActionContextParameter;
import org.apache.seata.rm.tcc.api.LocalTCC;
import org.apache.seata.rm.tcc.api.TwoPhaseBusinessAction;
import org.apache.seata.rm.tcc.interceptor.parser.TccActionInterceptorParser;
import org.apache.seata.rm.tcc.utils.MethodUtils;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The second phase as Seata resolves and runs it: Confirm and Cancel declared once on {@link
 * TccBranch}, found through an action interface that extends it, at READ COMMITTED; and the one
 * algorithm of {@link BranchRecordTcc} for both phases.
 */
class BranchRecordTccTest {

  /** An action interface as the services write them: the Try only. */
  @LocalTCC
  interface SampleAction extends TccBranch {
    @TwoPhaseBusinessAction(
        name = "sample",
        commitMethod = "confirm",
        rollbackMethod = "cancel",
        useTCCFence = true)
    void tryReserve(
        BusinessActionContext context,
        @BusinessActionContextParameter(paramName = "key") String key);
  }

  record SampleRecord(String xid, long branchId, String key, String status)
      implements BranchRecord {}

  /**
   * A participant on a map: its guarded update succeeds unless {@code applies} is false; it settles
   * from the context (key {@code key}) unless {@code fromContext} is false, when it keeps the kit's
   * default (no context record).
   */
  static class SampleTcc extends BranchRecordTcc<SampleRecord> implements SampleAction {
    final Map<Long, SampleRecord> records = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    boolean applies = true;
    boolean fromContext = true;

    @Override
    public void tryReserve(BusinessActionContext context, String key) {
      records.put(
          context.getBranchId(),
          new SampleRecord(context.getXid(), context.getBranchId(), key, BranchRecord.TRIED));
    }

    @Override
    protected SampleRecord findForUpdate(String xid, long branchId) {
      calls.add("find " + xid + "/" + branchId);
      return records.get(branchId);
    }

    @Override
    protected boolean apply(Phase phase, SampleRecord record) {
      calls.add("apply " + phase + " " + record.key());
      return applies;
    }

    @Override
    protected void markSettled(SampleRecord record, String status) {
      calls.add("settle " + status + " " + record.key());
      records.put(
          record.branchId(),
          new SampleRecord(record.xid(), record.branchId(), record.key(), status));
    }

    @Override
    protected SampleRecord recordFromContext(BusinessActionContext context) {
      if (!fromContext) {
        return super.recordFromContext(context);
      }
      return new SampleRecord(
          context.getXid(),
          context.getBranchId(),
          contextValue(context, "key", String.class),
          BranchRecord.TRIED);
    }

    /** The guarded settle: TRIED and the same key, else nothing. */
    @Override
    protected boolean settleIfTried(SampleRecord expected, String status) {
      calls.add("settleIfTried " + status + " " + expected.key());
      SampleRecord row = records.get(expected.branchId());
      if (!expected.equals(row)) {
        return false;
      }
      records.put(row.branchId(), new SampleRecord(row.xid(), row.branchId(), row.key(), status));
      return true;
    }
  }

  /** Seata's own resource parser, whose resolution of the phase methods is what the RM uses. */
  static final class Parser extends TccActionInterceptorParser {
    TCCResource resourceOf(Object target) throws NoSuchMethodException {
      Map<Method, Class<?>> annotated =
          ReflectionUtil.findMatchMethodClazzMap(
              target.getClass(), m -> m.isAnnotationPresent(TwoPhaseBusinessAction.class));
      assertThat(annotated).hasSize(1);
      Map.Entry<Method, Class<?>> tryMethod = annotated.entrySet().iterator().next();
      return (TCCResource)
          createResource(
              target,
              tryMethod.getValue(),
              tryMethod.getKey(),
              tryMethod.getKey().getAnnotation(TwoPhaseBusinessAction.class));
    }
  }

  private final SampleTcc tcc = new SampleTcc();

  @Test
  void seatasParser_findsConfirmAndCancelOnTheSuperInterface_andTheRmsCallReachesTheAction()
      throws Exception {
    TCCResource resource = new Parser().resourceOf(tcc);

    assertThat(resource.getActionName()).isEqualTo("sample");
    assertThat(resource.getCommitMethod().getDeclaringClass()).isEqualTo(TccBranch.class);
    assertThat(resource.getRollbackMethod().getDeclaringClass()).isEqualTo(TccBranch.class);

    BusinessActionContext branch = branch(7);
    tcc.tryReserve(branch, "k-7");
    // as TCCResourceManager.branchCommit does without the fence: the resolved method on the bean
    assertThat(resource.getCommitMethod().invoke(tcc, branch)).isEqualTo(true);
    assertThat(tcc.records.get(7L).status()).isEqualTo(BranchRecord.CONFIRMED);
  }

  @Test
  void theFence_runsBothPhasesAtReadCommitted_fromTheAnnotationOnTccBranch() throws Exception {
    TCCResource resource = new Parser().resourceOf(tcc);

    // what SpringFenceHandler.commitFence / rollbackFence read to build their local transaction
    Transactional commit =
        MethodUtils.getTransactionalAnnotationByMethod(resource.getCommitMethod(), tcc);
    Transactional rollback =
        MethodUtils.getTransactionalAnnotationByMethod(resource.getRollbackMethod(), tcc);

    assertThat(commit).isNotNull();
    assertThat(commit.isolation()).isEqualTo(Isolation.READ_COMMITTED);
    assertThat(rollback).isNotNull();
    assertThat(rollback.isolation()).isEqualTo(Isolation.READ_COMMITTED);
  }

  @Test
  void givenATriedRecord_confirm_appliesThenSettlesIt() {
    BusinessActionContext branch = branch(1);
    tcc.tryReserve(branch, "k-1");

    assertThat(tcc.confirm(branch)).isTrue();

    assertThat(tcc.calls)
        .containsExactly("find 127.0.0.1:8091:1/1", "apply CONFIRM k-1", "settle CONFIRMED k-1");
    assertThat(tcc.records.get(1L).status()).isEqualTo("CONFIRMED");
  }

  @Test
  void givenATriedRecord_cancel_appliesThenSettlesIt() {
    BusinessActionContext branch = branch(2);
    tcc.tryReserve(branch, "k-2");

    assertThat(tcc.cancel(branch)).isTrue();

    assertThat(tcc.calls)
        .containsExactly("find 127.0.0.1:8091:2/2", "apply CANCEL k-2", "settle CANCELLED k-2");
    assertThat(tcc.records.get(2L).status()).isEqualTo("CANCELLED");
  }

  @Test
  void givenNoRecord_bothPhasesChangeNothing_andSucceed() {
    assertThat(tcc.cancel(branch(3))).isTrue();
    assertThat(tcc.confirm(branch(3))).isTrue();

    assertThat(tcc.calls).containsExactly("find 127.0.0.1:8091:3/3", "find 127.0.0.1:8091:3/3");
  }

  @Test
  void givenASettledRecord_aRepeatedOrLatePhase_changesNothing() {
    BusinessActionContext branch = branch(4);
    tcc.tryReserve(branch, "k-4");
    tcc.confirm(branch);
    tcc.calls.clear();

    assertThat(tcc.confirm(branch)).isTrue();
    assertThat(tcc.cancel(branch)).isTrue();

    assertThat(tcc.calls).containsExactly("find 127.0.0.1:8091:4/4", "find 127.0.0.1:8091:4/4");
    assertThat(tcc.records.get(4L).status()).isEqualTo("CONFIRMED");
  }

  @Test
  void givenAGuardedUpdateThatChangesNothing_thePhaseFails_soTheTcRetries_andNothingSettles() {
    BusinessActionContext branch = branch(5);
    tcc.tryReserve(branch, "k-5");
    tcc.applies = false;

    assertThatThrownBy(() -> tcc.confirm(branch))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "nothing left to confirm for SampleRecord[xid=127.0.0.1:8091:5, branchId=5, key=k-5,"
                + " status=TRIED]");

    assertThat(tcc.calls).containsExactly("find 127.0.0.1:8091:5/5", "apply CONFIRM k-5");
    assertThat(tcc.records.get(5L).status()).isEqualTo("TRIED");
  }

  @Test
  void aSecondPhaseTcc_runsEachPhaseAsItsOwnPhase_atReadCommitted() throws Exception {
    List<Phase> phases = new ArrayList<>();
    SecondPhaseTcc byXid =
        new SecondPhaseTcc() {
          @Override
          protected boolean complete(BusinessActionContext context, Phase phase) {
            phases.add(phase);
            return true;
          }
        };

    assertThat(byXid.confirm(branch(6))).isTrue();
    assertThat(byXid.cancel(branch(6))).isTrue();

    assertThat(phases).containsExactly(Phase.CONFIRM, Phase.CANCEL);
    Method confirm = TccBranch.class.getMethod("confirm", BusinessActionContext.class);
    assertThat(MethodUtils.getTransactionalAnnotationByMethod(confirm, byXid).isolation())
        .isEqualTo(Isolation.READ_COMMITTED);
  }

  @Test
  void givenAContextThatMatchesTheRecord_confirm_settlesItWithoutReadingIt() {
    BusinessActionContext branch = branch(8);
    tcc.tryReserve(branch, "k-8");

    assertThat(tcc.confirm(withKey(branch, "k-8"))).isTrue();

    assertThat(tcc.calls).containsExactly("settleIfTried CONFIRMED k-8", "apply CONFIRM k-8");
    assertThat(tcc.records.get(8L).status()).isEqualTo("CONFIRMED");
  }

  @Test
  void givenAContextThatDisagreesWithTheRecord_cancel_readsTheRecord_andSettlesWhatItSays() {
    BusinessActionContext branch = branch(9);
    tcc.tryReserve(branch, "k-9");

    assertThat(tcc.cancel(withKey(branch, "k-other"))).isTrue();

    assertThat(tcc.calls)
        .containsExactly(
            "settleIfTried CANCELLED k-other",
            "find 127.0.0.1:8091:9/9",
            "apply CANCEL k-9",
            "settle CANCELLED k-9");
    assertThat(tcc.records.get(9L).status()).isEqualTo("CANCELLED");
  }

  @Test
  void givenASettledRecord_aPhaseWithItsContext_readsIt_andChangesNothing() {
    BusinessActionContext branch = withKey(branch(10), "k-10");
    tcc.tryReserve(branch, "k-10");
    tcc.confirm(branch);
    tcc.calls.clear();

    assertThat(tcc.cancel(branch)).isTrue();

    assertThat(tcc.calls)
        .containsExactly("settleIfTried CANCELLED k-10", "find 127.0.0.1:8091:10/10");
    assertThat(tcc.records.get(10L).status()).isEqualTo("CONFIRMED");
  }

  @Test
  void givenAContextRecord_aGuardedUpdateThatChangesNothing_failsThePhase_soTheTcRetries() {
    BusinessActionContext branch = branch(11);
    tcc.tryReserve(branch, "k-11");
    tcc.applies = false;

    assertThatThrownBy(() -> tcc.confirm(withKey(branch, "k-11")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "nothing left to confirm for SampleRecord[xid=127.0.0.1:8091:11, branchId=11,"
                + " key=k-11, status=TRIED]");
  }

  @Test
  void aParticipantWithoutTheContextHooks_alwaysReadsTheRecord() {
    BusinessActionContext branch = withKey(branch(12), "k-12");
    tcc.tryReserve(branch, "k-12");
    tcc.fromContext = false;

    assertThat(tcc.confirm(branch)).isTrue();

    assertThat(tcc.calls)
        .containsExactly(
            "find 127.0.0.1:8091:12/12", "apply CONFIRM k-12", "settle CONFIRMED k-12");
  }

  @Test
  void aRecordFromTheContextNamingAnotherBranch_isRefused_beforeAnythingChanges() {
    SampleTcc wrong =
        new SampleTcc() {
          @Override
          protected SampleRecord recordFromContext(BusinessActionContext context) {
            return new SampleRecord(context.getXid(), 99, "k", BranchRecord.TRIED);
          }
        };

    assertThatThrownBy(() -> wrong.confirm(withKey(branch(13), "k")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("xid=127.0.0.1:8091:13 branch=13");
    assertThat(wrong.calls).isEmpty();
  }

  @Test
  void contextValue_convertsWhatTheRoundTripGivesBack_andAMissingValueMeansReadTheRow() {
    BusinessActionContext context = branch(14);
    // a long Try parameter comes back from the TC's JSON as Integer (or Long, or text)
    context.getActionContext().put("small", 300);
    context.getActionContext().put("large", 5_000_000_000L);
    context.getActionContext().put("text", "300");

    assertThat(BranchRecordTcc.contextValue(context, "small", Long.class)).isEqualTo(300L);
    assertThat(BranchRecordTcc.contextValue(context, "large", Long.class))
        .isEqualTo(5_000_000_000L);
    assertThat(BranchRecordTcc.contextValue(context, "text", Long.class)).isEqualTo(300L);
    assertThat(BranchRecordTcc.contextValue(context, "small", String.class)).isEqualTo("300");
    assertThatThrownBy(() -> BranchRecordTcc.contextValue(context, "absent", Long.class))
        .isInstanceOf(RuntimeException.class);
  }

  private static BusinessActionContext withKey(BusinessActionContext branch, String key) {
    branch.getActionContext().put("key", key);
    return branch;
  }

  private static BusinessActionContext branch(long id) {
    BusinessActionContext context = new BusinessActionContext();
    context.setXid("127.0.0.1:8091:" + id);
    context.setBranchId(id);
    context.setActionContext(new HashMap<>());
    return context;
  }
}
