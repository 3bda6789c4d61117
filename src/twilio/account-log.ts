// Twilio's own log of what reached JobRun's account: every inbound text and
// call, whether or not its webhook got through. Read account-wide (date
// filters and paging), so its cost follows traffic, not the size of the pool.
import type twilio from 'twilio';
import type { CallInstance } from 'twilio/lib/rest/api/v2010/account/call';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';

export interface LoggedText {
  sid: string;
  from: string;
  to: string;
  body: string;
  receivedAt: Date;
}

export interface LoggedCall {
  sid: string;
  from: string;
  to: string;
  status: string;
  startedAt: Date;
  /** A leg it dialled (the forward to the tradesperson) was picked up: by them, or by their voicemail. */
  dialledLegAnswered: boolean;
}

/** What a read found, and the time before which nothing more can appear. */
export interface LogRead<T> {
  items: T[];
  until: Date;
  requests: number;
}

export interface TwilioLog {
  /** Inbound texts received at or after `since`. */
  inboundTexts(since: Date): Promise<LogRead<LoggedText>>;
  /**
   * Inbound calls that started at or after `since` and are over; `until`
   * stops at the earliest call still going on, so it is read again once over.
   */
  inboundCalls(since: Date): Promise<LogRead<LoggedCall>>;
}

const PAGE_SIZE = 1000;

/** A page of a Twilio list, as the SDK returns it. */
interface Paged<T> {
  instances: T[];
  nextPage(): Promise<Paged<T>> | undefined;
}
const CALL_OVER = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/**
 * Twilio documents its DateSent and StartTime filters by date (YYYY-MM-DD),
 * so a read may return more than asked: everything is filtered here again,
 * to the instant.
 */
export function createTwilioLog(client: twilio.Twilio, { pageSize = PAGE_SIZE } = {}): TwilioLog {
  return {
    async inboundTexts(since) {
      const until = new Date();
      const items: LoggedText[] = [];
      let requests = 1;
      let page: Paged<MessageInstance> = await client.messages.page({ dateSentAfter: since, pageSize });
      for (;;) {
        let older = false;
        for (const m of page.instances) {
          const at = m.dateSent ?? m.dateCreated;
          // Newest first: past `since` there is nothing more to read.
          if (at < since) older = true;
          else if (at < until && m.direction === 'inbound') items.push({ sid: m.sid, from: m.from, to: m.to, body: m.body ?? '', receivedAt: at });
        }
        const next = older ? undefined : page.nextPage();
        if (!next) break;
        page = await next;
        requests += 1;
      }
      return { items: items.reverse(), until, requests };
    },

    async inboundCalls(since) {
      const until = new Date();
      const all: CallInstance[] = [];
      let requests = 1;
      let page: Paged<CallInstance> = await client.calls.page({ startTimeAfter: since, pageSize });
      for (;;) {
        all.push(...page.instances);
        const next = page.nextPage();
        if (!next) break;
        page = await next;
        requests += 1;
      }
      const answeredParents = new Set(all.filter((c) => c.parentCallSid && c.status === 'completed' && Number(c.duration) > 0).map((c) => c.parentCallSid));
      const inbound = all.filter((c) => c.direction === 'inbound' && (c.startTime ?? c.dateCreated) >= since && (c.startTime ?? c.dateCreated) < until);
      const going = inbound.filter((c) => !CALL_OVER.has(c.status)).map((c) => (c.startTime ?? c.dateCreated).getTime());
      const items = inbound
        .filter((c) => CALL_OVER.has(c.status))
        .map((c) => ({ sid: c.sid, from: c.from, to: c.to, status: c.status, startedAt: c.startTime ?? c.dateCreated, dialledLegAnswered: answeredParents.has(c.sid) }))
        .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
      return { items, until: going.length ? new Date(Math.min(...going)) : until, requests };
    },
  };
}
