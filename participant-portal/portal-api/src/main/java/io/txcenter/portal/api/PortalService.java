package io.txcenter.portal.api;

import java.util.List;

/**
 * Quota the portal grants each channel. One portal service holds the quota of every channel,
 * exported without a Dubbo group.
 *
 * <p>Errors: every method throws only {@link PortalException}, or Dubbo's {@code RpcException} for
 * a call that never reached the service. A request holding a value of a class the API does not name
 * is refused {@code INVALID_REQUEST}; an unexpected failure inside the service is {@code
 * STORAGE_FAILURE}. Messages echo at most 64 characters of any value the caller sent.
 */
public interface PortalService {

  /** Largest quota one line may move. */
  long MAX_QUOTA = 1_000_000_000L;

  /** Most lines (channels) one freeze may hold. */
  int MAX_LINES = 16;

  /**
   * Try of the quota-freeze branch: for an order, moves each line's {@code amount} from available
   * to frozen in its channel, all lines or none, as ONE branch of the caller's global transaction
   * (one Try, one Confirm, one fence row for the whole order). Confirm (use) and Cancel (release)
   * are driven by the transaction coordinator, never by the caller; both are idempotent, and a Try
   * that arrives after its branch was cancelled is refused. An order holds at most one live (tried
   * or confirmed) quota freeze per channel: a second one, even from another branch of the same
   * global transaction, is refused; a cancelled freeze frees the order number. A refusal of one
   * line names its channel ({@link PortalException#channelId()}); a refusal of the request as a
   * whole names none. Lines must name distinct channels, 1 to {@link #MAX_LINES} of them.
   *
   * @throws PortalException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_CHANNEL}, {@code QUOTA_EXHAUSTED}, {@code NO_GLOBAL_TRANSACTION}, {@code
   *     TRANSACTION_NOT_ACTIVE} (the caller's XID names no transaction, or one no longer active),
   *     {@code BRANCH_SUSPENDED}, {@code DUPLICATE_RESERVATION} (the order already holds quota of
   *     this channel), {@code STORAGE_FAILURE}
   */
  void tryFreezeQuota(QuotaFreezeRequest request) throws PortalException;

  /**
   * The quota of one channel.
   *
   * @throws PortalException {@code INVALID_REQUEST}, {@code UNKNOWN_CHANNEL}
   */
  ChannelQuota quota(String channelId) throws PortalException;

  /** The quota of every channel, ordered by channel id. */
  List<ChannelQuota> quotas() throws PortalException;

  /**
   * Grants quota to a channel (creating it if needed): raises both available and granted, and
   * records the grant (the verified caller as operator, the time, {@code reason}) in the same local
   * transaction, so the audit can explain the quota. {@code reason} (why, and for whom) is
   * required: at most 128 characters of letters, digits, spaces and plain punctuation, else {@code
   * INVALID_REQUEST} and nothing changes.
   *
   * @throws PortalException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}
   */
  ChannelQuota grant(String channelId, long amount, String reason) throws PortalException;
}
