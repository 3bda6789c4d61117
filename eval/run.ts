// `npm run eval`: plays every conversation of the evaluation set
// (eval/cases.ts) through the rules engine, the way the
// workflow does (each reply appended before the next customer text), and
// scores the last turn's triage, postcode and trade. Exits non-zero when a
// safety-set emergency is missed or a gas/CO reply lacks the emergency number.
import { rulesTurn } from '../src/qualification/rules';
import type { BusinessContext, TranscriptLine, TurnResult } from '../workflows/shared/turn';
import { URGENCIES, type UrgencyLevel } from '../workflows/shared/urgency';
import { QUALIFICATION_CASES, type QualificationCase } from './cases';

/** No service area, so that no conversation is cut short as out of area. */
const BUSINESS: BusinessContext = { businessName: 'Acme Plumbing & Heating', trade: null, serviceArea: [] };
export const GAS_EMERGENCY_NUMBER = '0800 111 999';

export interface CaseOutcome {
  fixture: QualificationCase;
  result: TurnResult;
  replies: string[];
  urgencyOk: boolean;
  postcodeOk: boolean;
  tradeOk: boolean;
  /** Gas and CO cases: the last reply gives the National Gas Emergency number. Null for other cases. */
  gasAdviceOk: boolean | null;
}

interface Ratio {
  hit: number;
  total: number;
}

interface Scores {
  cases: number;
  triage: Ratio;
  triageByUrgency: Record<UrgencyLevel, Ratio>;
  /** confusion[expected][actual] */
  confusion: Record<UrgencyLevel, Record<UrgencyLevel, number>>;
  emergencyRecall: Ratio;
  emergencyPrecision: Ratio;
  safetyRecall: Ratio;
  gasAdvice: Ratio;
  postcode: Ratio;
  trade: Ratio;
}

interface EvalReport extends Scores {
  outcomes: CaseOutcome[];
  /** The same scores over the holdout cases alone, which the rules were not tuned on. */
  holdout: Scores;
}

export function rate(r: Ratio): number {
  return r.total === 0 ? 1 : r.hit / r.total;
}

function ratio(outcomes: CaseOutcome[], ok: (o: CaseOutcome) => boolean): Ratio {
  return { hit: outcomes.filter(ok).length, total: outcomes.length };
}

/** One conversation, turn by turn, as the workflow would hold it. */
function play(messages: string[], business: BusinessContext = BUSINESS): { result: TurnResult; replies: string[] } {
  const transcript: TranscriptLine[] = [];
  const replies: string[] = [];
  let result: TurnResult | undefined;
  for (const body of messages) {
    transcript.push({ direction: 'INBOUND', body });
    result = rulesTurn(transcript, business);
    replies.push(result.reply);
    transcript.push({ direction: 'OUTBOUND', body: result.reply });
  }
  if (!result) throw new Error('a fixture needs at least one message');
  return { result, replies };
}

function score(outcomes: CaseOutcome[]): Scores {
  const expecting = (u: UrgencyLevel) => outcomes.filter((o) => o.fixture.urgency === u);
  const triageByUrgency = Object.fromEntries(URGENCIES.map((u) => [u, ratio(expecting(u), (o) => o.urgencyOk)])) as Record<UrgencyLevel, Ratio>;
  const confusion = Object.fromEntries(
    URGENCIES.map((e) => [e, Object.fromEntries(URGENCIES.map((a) => [a, expecting(e).filter((o) => o.result.urgency === a).length]))]),
  ) as Scores['confusion'];
  return {
    cases: outcomes.length,
    triage: ratio(outcomes, (o) => o.urgencyOk),
    triageByUrgency,
    confusion,
    emergencyRecall: triageByUrgency.EMERGENCY,
    emergencyPrecision: ratio(
      outcomes.filter((o) => o.result.urgency === 'EMERGENCY'),
      (o) => o.fixture.urgency === 'EMERGENCY',
    ),
    safetyRecall: ratio(
      outcomes.filter((o) => o.fixture.safety),
      (o) => o.result.urgency === 'EMERGENCY',
    ),
    gasAdvice: ratio(
      outcomes.filter((o) => o.gasAdviceOk !== null),
      (o) => o.gasAdviceOk === true,
    ),
    postcode: ratio(outcomes, (o) => o.postcodeOk),
    trade: ratio(outcomes, (o) => o.tradeOk),
  };
}

export function evaluate(cases: QualificationCase[] = QUALIFICATION_CASES): EvalReport {
  const outcomes: CaseOutcome[] = cases.map((fixture) => {
    const { result, replies } = play(fixture.messages);
    const gasCase = fixture.safety === 'gas' || fixture.safety === 'co';
    return {
      fixture,
      result,
      replies,
      urgencyOk: result.urgency === fixture.urgency,
      postcodeOk: result.job.postcode === fixture.postcode,
      tradeOk: result.job.tradeCategory === fixture.trade,
      gasAdviceOk: gasCase ? replies[replies.length - 1]!.includes(GAS_EMERGENCY_NUMBER) : null,
    };
  });
  return { ...score(outcomes), outcomes, holdout: score(outcomes.filter((o) => o.fixture.holdout)) };
}

/** The eval's pass mark: no safety-set emergency missed, no gas/CO reply without the number. */
function safetyHolds(report: EvalReport): boolean {
  return rate(report.safetyRecall) === 1 && rate(report.gasAdvice) === 1;
}

function pct(r: Ratio): string {
  return `${(rate(r) * 100).toFixed(1).padStart(5)}% ${`(${r.hit}/${r.total})`.padEnd(10)}`;
}

const METRICS: Array<[string, (s: Scores) => Ratio]> = [
  ['triage accuracy', (s) => s.triage],
  ...URGENCIES.map((u): [string, (s: Scores) => Ratio] => [`  expected ${u}`, (s) => s.triageByUrgency[u]]),
  ['emergency recall', (s) => s.emergencyRecall],
  ['emergency precision', (s) => s.emergencyPrecision],
  ['SAFETY-set recall', (s) => s.safetyRecall],
  [`gas/CO replies with ${GAS_EMERGENCY_NUMBER}`, (s) => s.gasAdvice],
  ['postcode accuracy', (s) => s.postcode],
  ['trade accuracy', (s) => s.trade],
];

export function formatReport(report: EvalReport): string {
  const lines: string[] = [];
  lines.push(`Rules engine over ${report.cases} fixture conversations (${report.holdout.cases} of them holdout)`, '');
  lines.push(`  ${''.padEnd(34)}${'all'.padEnd(18)}holdout`);
  for (const [label, get] of METRICS) lines.push(`  ${label.padEnd(34)}${pct(get(report))} ${pct(get(report.holdout))}`);
  lines.push('  (holdout: cases written after tuning began, since partly tuned on; first-sight scores are in the fixture file)');
  lines.push('', '  confusion over all cases (rows expected, columns got)');
  lines.push(`  ${''.padEnd(12)}${URGENCIES.map((u) => u.padStart(11)).join('')}`);
  for (const e of URGENCIES) lines.push(`  ${e.padEnd(12)}${URGENCIES.map((a) => String(report.confusion[e][a]).padStart(11)).join('')}`);

  const misses = report.outcomes.filter((o) => !o.urgencyOk || !o.postcodeOk || !o.tradeOk || o.gasAdviceOk === false);
  lines.push('', misses.length ? `Misses (${misses.length}):` : 'No misses.');
  for (const o of misses) {
    const f = o.fixture;
    const what: string[] = [];
    if (!o.urgencyOk) what.push(`urgency ${o.result.urgency} (${o.result.urgencyReason}), want ${f.urgency}`);
    if (!o.postcodeOk) what.push(`postcode ${o.result.job.postcode ?? 'null'}, want ${f.postcode ?? 'null'}`);
    if (!o.tradeOk) what.push(`trade ${o.result.job.tradeCategory ?? 'null'}, want ${f.trade}`);
    if (o.gasAdviceOk === false) what.push(`no ${GAS_EMERGENCY_NUMBER} in reply: ${JSON.stringify(o.replies[o.replies.length - 1])}`);
    lines.push(`  ${f.safety ? '[SAFETY] ' : ''}${f.holdout ? '[holdout] ' : ''}${f.id}: ${what.join('; ')}`);
    lines.push(`      ${f.messages.map((m) => JSON.stringify(m)).join(' / ')}`);
  }
  return lines.join('\n');
}

if (require.main === module) {
  const report = evaluate();
  process.stdout.write(`${formatReport(report)}\n`);
  if (!safetyHolds(report)) {
    process.stderr.write('\nFAIL: a safety-set emergency was missed or a gas/CO reply lacks the emergency number.\n');
    process.exit(1);
  }
}
