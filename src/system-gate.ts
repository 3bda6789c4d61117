import type { Db } from './db';

/**
 * The SystemGate switch (`outboundPaused`): the one place that flips it, for
 * the CLI and for the tradesperson's PAUSE and RESUME. The old value is the
 * update's guard, so `changed` says whether this call flipped it.
 */
export async function setOutboundPaused(db: Db, clientId: string, paused: boolean): Promise<{ changed: boolean }> {
  const flipped = await db.client.updateMany({ where: { id: clientId, outboundPaused: !paused }, data: { outboundPaused: paused } });
  return { changed: flipped.count === 1 };
}
