import { sleep } from '@temporalio/workflow';

/**
 * Texts sent seconds apart reach a conversation or a sign-up through separate
 * intake workflows, not necessarily in order. The earliest waiting text is
 * taken only once it is settleMs old (CONVERSATION_SETTLE_MS), so that an
 * earlier one still on its way is taken first.
 */
const DEFAULT_SETTLE_MS = 1000;

/** Waits until the earliest of `pending` (kept sorted by receivedAt) has settled. */
export async function settleEarliest(pending: ReadonlyArray<{ receivedAt: string }>, settleMs = DEFAULT_SETTLE_MS): Promise<void> {
  const wait = Date.parse(pending[0]!.receivedAt) + settleMs - Date.now();
  if (wait > 0) await sleep(wait);
}
