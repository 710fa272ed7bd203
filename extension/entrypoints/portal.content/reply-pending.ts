/**
 * A reply filled and read back ✓ in this tab, not yet marked 已回复, whose
 * reply page the portal has since left (after its submit, portals often move
 * on to a list). The panel offers 标记已回复 for it from any page of the
 * portal until the clerk marks it or dismisses it. Content-script memory: a
 * portal that reloads the whole page forgets it, and the clerk marks the
 * order from its reply page again.
 */
import { ref } from 'vue';

export interface PendingReply {
  readonly orderId: string;
  readonly orderNo: string;
  readonly title: string;
  readonly adapterId: string;
  /** The reply page's address: the card shows on other pages only. */
  readonly url: string;
}

export const pendingReply = ref<PendingReply | null>(null);
