package io.txcenter.points.api;

/**
 * Points of users in one channel. Each channel runs its own points service, exported under the
 * Dubbo group named by its channel id (e.g. {@code ch-a}).
 *
 * <p>Errors: every method throws only {@link PointsException}, or Dubbo's {@code RpcException} for
 * a call that never reached the service. A request holding a value of a class the API does not name
 * is refused {@code INVALID_REQUEST}; an unexpected failure inside the service is {@code
 * STORAGE_FAILURE}. Messages echo at most 64 characters of any value the caller sent.
 */
public interface PointsService {

  /** Largest number of points one request may move. */
  long MAX_POINTS = 1_000_000_000L;

  /**
   * Try of the points-freeze branch: moves {@code points} from available to frozen for an order,
   * inside the caller's global transaction. Confirm (spend) and Cancel (release) are driven by the
   * transaction coordinator, never by the caller; both are idempotent, and a Try that arrives after
   * its branch was cancelled is refused. An order holds at most one live (tried or confirmed)
   * freeze per channel: a second one, even from another branch of the same global transaction, is
   * refused; a cancelled freeze frees the order number.
   *
   * @throws PointsException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_CHANNEL}, {@code UNKNOWN_USER}, {@code INSUFFICIENT_POINTS}, {@code
   *     NO_GLOBAL_TRANSACTION}, {@code TRANSACTION_NOT_ACTIVE} (the caller's XID names no
   *     transaction, or one no longer active), {@code BRANCH_SUSPENDED}, {@code
   *     DUPLICATE_RESERVATION} (the order already holds a freeze here), {@code STORAGE_FAILURE}
   */
  void tryFreeze(FreezeRequest request) throws PointsException;

  /**
   * Try of the points-credit branch: records an award of {@code points} for {@code bizNo} (e.g. a
   * payment). The points are neither available nor spendable until the TC confirms the branch;
   * Cancel drops the award. Opens the user's account in this channel if needed. A {@code bizNo}
   * holds at most one live (tried or confirmed) award per channel; a dropped award frees it.
   *
   * @throws PointsException {@code INVALID_REQUEST}, {@code INVALID_AMOUNT}, {@code
   *     UNKNOWN_CHANNEL}, {@code NO_GLOBAL_TRANSACTION}, {@code TRANSACTION_NOT_ACTIVE}, {@code
   *     BRANCH_SUSPENDED}, {@code DUPLICATE_RESERVATION}, {@code STORAGE_FAILURE}
   */
  void tryCredit(CreditRequest request) throws PointsException;

  /**
   * The points of one user in this channel.
   *
   * @throws PointsException {@code UNKNOWN_CHANNEL}, {@code UNKNOWN_USER}, {@code INVALID_REQUEST}
   */
  PointsBalance balance(String channelId, long userId) throws PointsException;

  /**
   * Grants points to a user (opening the account if needed): raises both available and granted, and
   * records the grant (the verified caller as operator, the time, {@code reason}) in the same local
   * transaction, so the audit can explain the points. {@code reason} (why, and for whom) is
   * required: at most 128 characters of letters, digits, spaces and plain punctuation, else {@code
   * INVALID_REQUEST} and nothing changes.
   *
   * @throws PointsException {@code UNKNOWN_CHANNEL}, {@code INVALID_AMOUNT}, {@code
   *     INVALID_REQUEST}
   */
  PointsBalance grant(String channelId, long userId, long points, String reason)
      throws PointsException;
}
