import { sleep } from '@temporalio/workflow';

/**
 * Texts sent seconds apart reach a conversation or a sign-up through separate
 * intake workflows, not necessarily in order. They wait in `pending`, sorted
 * by when they arrived; the earliest is taken only once it is settleMs old
 * (CONVERSATION_SETTLE_MS), so that an earlier one still on its way is taken
 * first.
 */
const DEFAULT_SETTLE_MS = 1000;

interface Arrival {
  messageSid: string;
  receivedAt: string;
}

/** Queues a text unless it was taken or queued before (a retried hand-over), keeping arrival order. */
export function enqueueInOrder<T extends Arrival>(pending: T[], seenSids: readonly string[], msg: T): void {
  if (seenSids.includes(msg.messageSid) || pending.some((p) => p.messageSid === msg.messageSid)) return;
  pending.push(msg);
  pending.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/** Waits until the earliest of `pending` has settled. */
export async function settleEarliest(pending: readonly Arrival[], settleMs = DEFAULT_SETTLE_MS): Promise<void> {
  const wait = Date.parse(pending[0]!.receivedAt) + settleMs - Date.now();
  if (wait > 0) await sleep(wait);
}
