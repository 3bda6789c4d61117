// What to do about each alert kind, read from the runbook's table
// (docs/runbook.md) once, so the console and the runbook never disagree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../paths';

const RUNBOOK = path.join(ROOT, 'docs', 'runbook.md');

/** kind -> "do" column of the alerts table. */
export function loadRunbookAdvice(file = RUNBOOK): Map<string, string> {
  const advice = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = /^\| `([A-Z_]+)` \|(.*)\|(.*)\|\s*$/.exec(line);
    if (cells) advice.set(cells[1]!, cells[3]!.trim().replace(/`/g, ''));
  }
  return advice;
}
