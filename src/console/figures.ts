// Today's figures for the overview, from the ledgers JobRun already keeps.
import type { Db } from '../db';
import { londonDay } from '../../workflows/quiet-hours';

export interface TodayFigures {
  textsIn: number;
  repliesOut: number;
  missedCalls: number;
  textBacks: number;
  escalations: number;
  notTaken: number;
  alerts: number;
}

const SENT = ['SENT', 'SIMULATED', 'DELIVERED'] as const;

/** Since midnight, UK time. */
export async function todayFigures(db: Db, now = Date.now()): Promise<TodayFigures> {
  const since = new Date(londonDay(now).startMs);
  const [textsIn, repliesOut, missedCalls, textBacks, escalations, notTaken, alerts] = await Promise.all([
    db.message.count({ where: { direction: 'INBOUND', createdAt: { gte: since }, NOT: { twilioSid: { startsWith: 'CA' } } } }),
    db.outboundMessage.count({ where: { purpose: { in: ['reply', 'nudge'] }, status: { in: [...SENT] }, conversationId: { not: null }, createdAt: { gte: since } } }),
    db.handledInbound.count({ where: { kind: 'CALL', outcome: { not: 'answered' }, createdAt: { gte: since } } }),
    db.handledInbound.count({ where: { kind: 'CALL', outcome: { in: ['texted-back', 'failsafe'] }, createdAt: { gte: since } } }),
    db.job.count({ where: { escalatedAt: { gte: since } } }),
    db.job.count({ where: { escalatedAt: { gte: since }, progress: 'NEW' } }),
    db.operatorAlert.aggregate({ _sum: { count: true }, where: { createdAt: { gte: since } } }),
  ]);
  return { textsIn, repliesOut, missedCalls, textBacks, escalations, notTaken, alerts: alerts._sum.count ?? 0 };
}
