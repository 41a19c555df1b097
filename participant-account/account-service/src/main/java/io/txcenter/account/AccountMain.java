package io.txcenter.account;

import io.txcenter.account.api.AccountErrorCode;
import io.txcenter.account.api.AccountException;
import io.txcenter.account.api.AccountService;
import io.txcenter.account.store.AccountMapper;
import io.txcenter.account.tcc.AccountCreditAction;
import io.txcenter.account.tcc.AccountCreditTcc;
import io.txcenter.kit.ParticipantRuntime;
import io.txcenter.kit.rpc.Callers;
import io.txcenter.kit.rpc.ErrorBoundary;

/**
 * The account service of the payment platform. Settings: {@code txc.jdbc.url} (the account schema),
 * {@code txc.dubbo.port} (20892), {@code txc.zk.address}. Plugins on the class path are installed
 * before the node starts; they get the runtime only ({@link ParticipantRuntime#serve}).
 */
public final class AccountMain {

  private AccountMain() {}

  public static void main(String[] args) throws Exception {
    ParticipantRuntime runtime =
        ParticipantRuntime.start("account", "account", "mapper/AccountMapper.xml");
    AccountMapper accounts = runtime.mapper(AccountMapper.class);
    AccountCreditAction credit = ParticipantRuntime.tccProxy(new AccountCreditTcc(accounts));
    runtime.serve(
        runtime
            .dubbo(20892)
            .export(
                AccountService.class,
                new AccountServiceImpl(credit, accounts, runtime.transactionManager()),
                null,
                Callers.of(AccountService.class)
                    .allow("tryCredit", "payment")
                    .allow("balance", "operator")
                    // payment only: it refuses payments to a merchant without an account
                    .allow("hasAccount", "payment")
                    .allow("open", "operator"),
                ErrorBoundary.namedAlike(
                    AccountErrorCode.class,
                    (code, message) -> new AccountException(code, null, message))));
  }
}
