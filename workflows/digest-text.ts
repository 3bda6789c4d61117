// The evening digest's text: the day's jobs a line each, and those not yet taken.
import type { DayDigest } from '../activities/digest';

const MAX_CHARS = 600;

export function digestText(d: DayDigest): string {
  const lines = d.jobs.map((j) => `${j.reference} ${j.urgency}${j.line ? ` ${j.line}` : ''}${j.progress === 'NEW' ? '' : ` (${j.progress.toLowerCase().replace('_', ' ')})`}`);
  const waiting = d.jobs.filter((j) => j.progress === 'NEW').map((j) => j.reference);
  const head = `JobRun today for ${d.businessName}: ${d.jobs.length} job${d.jobs.length === 1 ? '' : 's'}.`;
  const tail = waiting.length ? `Not yet taken: ${waiting.join(', ')}.` : 'All taken.';
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    const more = `...and ${lines.length - i} more (jobrun jobs list).`;
    if ([head, ...kept, line, more, tail].join('\n').length > MAX_CHARS) {
      kept.push(more);
      break;
    }
    kept.push(line);
  }
  return [head, ...kept, tail].join('\n');
}
