package io.txcenter.payment;

import io.txcenter.account.api.AccountBalance;
import io.txcenter.account.api.AccountService;
import io.txcenter.account.api.CreditRequest;
import io.txcenter.points.api.PointsService;
import io.txcenter.portal.api.ChannelQuota;
import io.txcenter.portal.api.PortalService;
import io.txcenter.portal.api.QuotaFreezeRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The payment service's view of the account service and the portal, for module tests: only what a
 * payment asks before anything is claimed (whether a merchant has an account, which channels the
 * portal knows). Every other call fails: a test that reaches one has gone further than it meant.
 */
final class Participants {

  private Participants() {}

  static AccountService accounts(String... merchants) {
    Set<String> open = Set.of(merchants);
    return new AccountService() {
      @Override
      public void tryCredit(CreditRequest request) {
        throw new UnsupportedOperationException("tryCredit");
      }

      @Override
      public AccountBalance balance(String accountId) {
        throw new UnsupportedOperationException("balance");
      }

      @Override
      public boolean hasAccount(String accountId) {
        return open.contains(accountId);
      }

      @Override
      public AccountBalance open(String accountId, long openingBalance, String reason) {
        throw new UnsupportedOperationException("open");
      }
    };
  }

  static final class Portal implements PortalService {
    final List<String> channels;
    final AtomicInteger reads = new AtomicInteger();

    Portal(String... channels) {
      this.channels = List.of(channels);
    }

    @Override
    public List<ChannelQuota> quotas() {
      reads.incrementAndGet();
      return channels.stream().map(c -> new ChannelQuota(c, 10, 10, 0, 0)).toList();
    }

    @Override
    public void tryFreezeQuota(QuotaFreezeRequest request) {
      throw new UnsupportedOperationException("tryFreezeQuota");
    }

    @Override
    public ChannelQuota quota(String channelId) {
      throw new UnsupportedOperationException("quota");
    }

    @Override
    public ChannelQuota grant(String channelId, long amount, String reason) {
      throw new UnsupportedOperationException("grant");
    }
  }

  /** Channels of {@code portal}; a points reference is never made (it fails if asked for). */
  static PaymentChannels channels(PortalService portal) {
    Function<String, PointsService> connect =
        channel -> {
          throw new UnsupportedOperationException("points reference of " + channel);
        };
    return new PaymentChannels(portal, connect, 16);
  }
}
