// `npm run eval:cv`: leave-one-part-out cross-validation of the engine that
// learns from cases. For each readable part, the triage classifier is trained
// on all the other parts and the whole engine (rules with the classifier's
// floor) is scored on the part left out, which the classifier has never seen.
//
// Read it with care: the rules themselves were hand-tuned on every readable
// part, so here only the classifier is out of sample. The honest estimate of
// what a fresh batch will score is each part's first-sight figure (in its
// header) and the held-out part's (eval/run.ts HELD_OUT_FLOOR).
//   --classifier-only  the classifier on its own (its likeliest label) instead
//   --sweep            the pooled figures for a grid of the floor's thresholds, to choose them by
//   --misses           each case the engine got wrong, part by part
import { rulesTurn } from '../src/qualification/rules';
import { CLASSIFIER_FLOOR, TRIAGE_LABELS, type Thresholds, type TriageModel } from '../src/qualification/triage-classifier';
import { predict } from '../src/qualification/text-classifier';
import type { QualificationCase } from './cases';
import { evaluate, formatMisses, formatReport, rate, READABLE_PARTS, type EvalReport, type Ratio } from './run';
import { trainingExample, trainTriageModel } from './train-triage';

type Parts = Array<{ part: string; cases: QualificationCase[] }>;

/** Each part with the model trained on every other part. */
function folds(parts: Parts): Array<{ part: string; cases: QualificationCase[]; model: TriageModel }> {
  return parts.map(({ part, cases }) => ({ part, cases, model: trainTriageModel(parts.filter((p) => p.part !== part).flatMap((p) => p.cases)) }));
}

function scoreFolds(trained: ReturnType<typeof folds>, thresholds: Thresholds): EvalReport[] {
  return trained.map(({ part, cases, model }) => evaluate(cases, part, (transcript, business) => rulesTurn(transcript, business, { model, thresholds })));
}

/** Each part scored by the engine whose classifier was trained on every other part. */
export function crossValidate(parts: Parts = READABLE_PARTS, thresholds: Thresholds = CLASSIFIER_FLOOR.thresholds): EvalReport[] {
  return scoreFolds(folds(parts), thresholds);
}

/**
 * Out-of-fold figures for a grid of the floor's thresholds, summed over all
 * parts and for the newest part alone (the last one held out). "Over"
 * counts the urgent cases raised to an emergency: no false alert, but a
 * tradesperson woken for a drip.
 */
function sweep(parts: Parts = READABLE_PARTS): string {
  const trained = folds(parts);
  const grid: Array<Partial<Thresholds>> = [];
  for (const emergency of [0.3, 0.4, 0.5, 0.7, 0.9]) for (const emergencyOverUrgent of [0.8, 0.9, 0.95, 1.01]) grid.push({ emergency, emergencyOverUrgent });
  for (const urgent of [0.3, 0.5, 0.7, 0.8, 0.9, 1.01]) grid.push({ urgent });
  const newest = parts.at(-1)!.part;
  const lines = [`thresholds | all parts: urgent recall, false alerts, safety recall, over | ${newest}: the same`];
  for (const change of grid) {
    const thresholds = { ...CLASSIFIER_FLOOR.thresholds, ...change };
    const reports = scoreFolds(trained, thresholds);
    const figures = (of: EvalReport[]) => {
      const sum = (get: (r: EvalReport) => Ratio) => of.map(get).reduce((a, b) => ({ hit: a.hit + b.hit, total: a.total + b.total }), { hit: 0, total: 0 });
      const over = of.reduce((n, r) => n + r.confusion.URGENT.EMERGENCY, 0);
      return `${[sum((r) => r.urgentRecall), sum((r) => r.falseAlerts), sum((r) => r.safetyRecall)].map((x) => `${(100 * rate(x)).toFixed(1)}%`.padStart(7)).join('')}${String(over).padStart(5)}`;
    };
    const label = Object.entries(thresholds).map(([k, v]) => `${k} ${v}`).join(', ');
    lines.push(`${label} |${figures(reports)} |${figures(reports.filter((r) => r.part === newest))}`);
  }
  return lines.join('\n');
}

interface ClassifierScore {
  part: string;
  urgentRecall: number;
  falseAlerts: number;
  hazardExact: number;
}

/** The classifier alone, out of fold: its likeliest label against the case's. */
export function crossValidateClassifier(parts: Parts = READABLE_PARTS): ClassifierScore[] {
  return folds(parts).map(({ part, cases, model }) => {
    const judged = cases.map((c) => {
      const { text, label } = trainingExample(c);
      const p = predict(model, text);
      const best = TRIAGE_LABELS[p.indexOf(Math.max(...p))]!;
      return { c, label, best };
    });
    const share = (of: typeof judged, ok: (j: (typeof judged)[number]) => boolean) => of.filter(ok).length / of.length;
    return {
      part,
      urgentRecall: share(judged.filter((j) => j.c.urgency !== 'ROUTINE'), (j) => j.best !== 'ROUTINE'),
      falseAlerts: share(judged.filter((j) => j.c.urgency === 'ROUTINE'), (j) => j.best !== 'ROUTINE'),
      hazardExact: share(judged.filter((j) => j.c.safety), (j) => j.best === j.label),
    };
  });
}

if (require.main === module) {
  if (process.argv.includes('--classifier-only')) {
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
    process.stdout.write('Classifier alone, leave-one-part-out: urgent recall, false alerts, safety hazard exact\n');
    for (const s of crossValidateClassifier()) process.stdout.write(`  ${s.part.padEnd(10)}${pct(s.urgentRecall)}${pct(s.falseAlerts)}${pct(s.hazardExact)}\n`);
  } else if (process.argv.includes('--sweep')) {
    process.stdout.write(`${sweep()}\n`);
  } else {
    const reports = crossValidate();
    process.stdout.write(`Leave-one-part-out: each part scored with the classifier trained on the others\n${formatReport(reports)}\n`);
    if (process.argv.includes('--misses')) for (const r of reports) process.stdout.write(`\n${formatMisses(r)}\n`);
  }
}
