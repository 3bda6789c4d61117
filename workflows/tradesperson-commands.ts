// What the tradesperson texts to their own JobRun number, read as a command.
// A text that is not one is 'unknown', and gets a reply naming HELP.
import { keyword } from './shared/keywords';

/** A job by its number within the client, or the tradesperson's latest open one ("1"). */
export type JobHandle = { number: number } | { latest: true };

export type TradespersonCommand =
  | { kind: 'help' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'take'; job: JobHandle }
  | { kind: 'relay'; job: { number: number }; text: string }
  | { kind: 'bot'; job: { number: number } }
  | { kind: 'done'; job: { number: number } }
  | { kind: 'unknown' };

const REFERENCE = /^\s*j\s?(\d{1,6})\b[\s,:.-]*/i;

export function parseTradespersonCommand(body: string): TradespersonCommand {
  const word = keyword(body);
  if (word === 'HELP') return { kind: 'help' };
  if (word === 'PAUSE') return { kind: 'pause' };
  if (word === 'RESUME') return { kind: 'resume' };
  if (word === '1') return { kind: 'take', job: { latest: true } };
  const ref = REFERENCE.exec(body);
  if (!ref) return { kind: 'unknown' };
  const job = { number: Number(ref[1]) };
  const rest = body.slice(ref[0].length).trim();
  if (rest === '') return { kind: 'take', job };
  const restWord = keyword(rest);
  if (restWord === 'BOT') return { kind: 'bot', job };
  if (restWord === 'DONE') return { kind: 'done', job };
  return { kind: 'relay', job, text: rest };
}
