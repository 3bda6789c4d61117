// `npm run train:triage`: trains the triage classifier on every readable part
// of the evaluation (never the held-out eval/cases-final.ts) and writes its
// weights to src/qualification/triage-model.json. Deterministic: the same
// cases always give the same file, so a change to it in a diff is a change
// to the cases or to the training.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { happeningNow } from '../src/qualification/happening-now';
import { toPlainEnglish } from '../src/qualification/plain-english';
import { train } from '../src/qualification/text-classifier';
import { TRIAGE_LABELS, type TriageLabel, type TriageModel } from '../src/qualification/triage-classifier';
import type { QualificationCase } from './cases';
import { READABLE_PARTS } from './run';

/**
 * A case as the classifier sees it: all the customer's texts, in plain English
 * and present tense as the rules read them, labelled with its hazard if it is
 * a safety case, else its urgency.
 */
export function trainingExample(c: QualificationCase): { text: string; label: TriageLabel } {
  return { text: happeningNow(toPlainEnglish(c.messages.join('\n'))), label: c.safety ?? c.urgency };
}

export function trainTriageModel(cases: QualificationCase[]): TriageModel {
  return train(cases.map(trainingExample), TRIAGE_LABELS);
}

if (require.main === module) {
  const cases = READABLE_PARTS.flatMap((p) => p.cases);
  const model = trainTriageModel(cases);
  const file = join(__dirname, '../src/qualification/triage-model.json');
  // One feature a line: small diffs when the cases change.
  const lines = Object.entries(model.weights).map(([f, w]) => `    ${JSON.stringify(f)}: ${JSON.stringify(w)}`);
  writeFileSync(file, `{\n  "labels": ${JSON.stringify(model.labels)},\n  "bias": ${JSON.stringify(model.bias)},\n  "weights": {\n${lines.join(',\n')}\n  }\n}\n`);
  process.stdout.write(`trained on ${cases.length} cases: ${lines.length} features -> ${file}\n`);
}
