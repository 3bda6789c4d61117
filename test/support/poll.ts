// How tests wait: for something to be so (eventually), or for a workflow to
// have finished with a text (untilHandled). Never a fixed sleep followed by
// "nothing happened"; `sleep` only paces load or holds a fault on.
import type { WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition } from '@temporalio/common';
import { waitFor } from '../../src/local/exec';

/** Polls `probe` until it gives a value (anything but undefined or false) and returns it; fails naming `what` after the timeout. */
export function eventually<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  return waitFor(
    what,
    timeoutMs,
    async () => {
      const value = await probe();
      return value === false ? undefined : value;
    },
    50,
  );
}

/** What a conversation's or a sign-up's `progress` query shows of its queue. */
interface Progress {
  seenSids: string[];
  pending: unknown[];
  handling: string | null;
}

/** Until the workflow has taken the text `messageSid` and finished with it: seen, nothing being handled, nothing waiting. */
export function untilHandled<S extends Progress>(handle: WorkflowHandle, query: QueryDefinition<S>, messageSid: string, timeoutMs = 60_000): Promise<S> {
  return eventually(
    `${handle.workflowId} to finish with ${messageSid}`,
    async () => {
      const progress = await handle.query(query);
      return progress.seenSids.includes(messageSid) && progress.handling === null && progress.pending.length === 0 ? progress : undefined;
    },
    timeoutMs,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
