// Today's figures for the overview, from the ledgers JobRun already keeps.
import type { Db } from '../db';
import { londonDay } from '../../workflows/quiet-hours';

export interface TodayFigures {
  textsIn: number;
  repliesOut: number;
  missedCalls: number;
  textBacks: number;
  escalations: number;
  /** Escalated jobs not yet taken, of any day. */
  notTaken: number;
  alerts: number;
}

const SENT = ['SENT', 'SIMULATED', 'DELIVERED'] as const;

/** Since midnight, UK time. */
export async function todayFigures(db: Db, now = Date.now()): Promise<TodayFigures> {
  const since = new Date(londonDay(now).startMs);
  const [textsIn, repliesOut, missedCalls, textBacks, escalations, notTaken, alerts] = await Promise.all([
    // Every text JobRun finished handling, whatever number it reached.
    db.handledInbound.count({ where: { kind: 'SMS', createdAt: { gte: since } } }),
    // Text-backs are replies in their conversation too: counted on their own below.
    db.outboundMessage.count({ where: { purpose: { in: ['reply', 'nudge'] }, status: { in: [...SENT] }, conversationId: { not: null }, createdAt: { gte: since }, NOT: { idempotencyKey: { endsWith: ':textback' } } } }),
    db.handledInbound.count({ where: { kind: 'CALL', outcome: { not: 'answered' }, createdAt: { gte: since } } }),
    db.handledInbound.count({ where: { kind: 'CALL', outcome: { in: ['texted-back', 'failsafe'] }, createdAt: { gte: since } } }),
    db.job.count({ where: { escalatedAt: { gte: since } } }),
    // Whenever they were escalated: an emergency from last night still waiting is today's business.
    db.job.count({ where: { escalatedAt: { not: null }, progress: 'NEW' } }),
    db.operatorAlert.aggregate({ _sum: { count: true }, where: { createdAt: { gte: since } } }),
  ]);
  return { textsIn, repliesOut, missedCalls, textBacks, escalations, notTaken, alerts: alerts._sum.count ?? 0 };
}
