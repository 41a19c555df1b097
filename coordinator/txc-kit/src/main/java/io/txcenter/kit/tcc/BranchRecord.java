package io.txcenter.kit.tcc;

/**
 * What one Try recorded, keyed by its branch ({@code xid, branch_id}), with its status: {@link
 * #TRIED} until the second phase settles it {@link #CONFIRMED} or {@link #CANCELLED}.
 */
public interface BranchRecord {

  String TRIED = "TRIED";
  String CONFIRMED = "CONFIRMED";
  String CANCELLED = "CANCELLED";

  String xid();

  long branchId();

  String status();

  /** The record's branch as log and error messages name it: {@code xid=… branch=…}. */
  default String branchKey() {
    return "xid=" + xid() + " branch=" + branchId();
  }
}
