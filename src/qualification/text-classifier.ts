// A small deterministic text classifier: multinomial logistic regression over
// the words, word pairs and character 4-grams of a text. Hand-written rules
// match the phrasings they were written from; a classifier trained on every
// case so far also weighs the phrasings it has not seen word for word
// ("pushed the door to and it's gone on the latch" shares "door", "latch",
// "inside on his own" with the locked-in cases it learnt from). Character
// 4-grams carry misspellings the normaliser let through ("stinkin", "smeel").
//
// Plain TypeScript rather than a library: the whole model is a few hundred
// lines of arithmetic, training must be bit-for-bit repeatable so the
// committed weights can be regenerated and diffed, and no npm classifier
// offers both that and a JSON model we control.

export interface TextModel<L extends string = string> {
  labels: L[];
  /** Feature → one weight per label (rounded, so the committed file is small and stable). */
  weights: Record<string, number[]>;
  bias: number[];
}

export interface TrainingOptions {
  /** Passes over the examples. */
  epochs: number;
  /** AdaGrad's step: each feature's steps shrink as it is seen, so common words settle and rare ones still move. */
  learningRate: number;
  /** L2 penalty on the features a step touches: keeps any one rare feature from deciding a label alone. */
  l2: number;
  /** Features seen in fewer training texts than this are dropped: they would only memorise. */
  minCount: number;
}

export const DEFAULT_TRAINING: TrainingOptions = { epochs: 20, learningRate: 0.5, l2: 1e-4, minCount: 5 };

/** The features of an already normalised text, each once. */
export function featuresOf(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const features = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    features.add(`w:${w}`);
    if (i + 1 < words.length) features.add(`b:${w} ${words[i + 1]}`);
    const padded = `<${w}>`;
    for (let j = 0; j + 4 <= padded.length; j++) features.add(`c:${padded.slice(j, j + 4)}`);
  }
  return [...features];
}

/** Each feature weighs 1/sqrt(n) for a text of n features, so a long text does not shout a short one down. */
function scale(features: string[]): number {
  return features.length ? 1 / Math.sqrt(features.length) : 0;
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** The probability of each of the model's labels, in the model's label order. */
export function predict<L extends string>(model: TextModel<L>, text: string): number[] {
  const features = featuresOf(text);
  const x = scale(features);
  const scores = [...model.bias];
  for (const f of features) {
    const w = model.weights[f];
    if (!w) continue;
    for (let k = 0; k < scores.length; k++) scores[k]! += w[k]! * x;
  }
  return softmax(scores);
}

// `|| 0`: no -0, which JSON cannot tell from 0.
const round = (x: number) => Math.round(x * 1e3) / 1e3 || 0;

/** The examples' visiting order, shuffled the same way every run (mulberry32 from a fixed seed). */
function shuffledOrder(n: number, epoch: number): number[] {
  let seed = 0x9e3779b9 ^ epoch;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Trains on (text, label) pairs by stochastic gradient descent (AdaGrad) from
 * zero weights, visiting the examples in a seeded order, so the same examples
 * always give the same model.
 */
export function train<L extends string>(examples: Array<{ text: string; label: L }>, labels: L[], options: TrainingOptions = DEFAULT_TRAINING): TextModel<L> {
  const counts = new Map<string, number>();
  const docs = examples.map((e) => featuresOf(e.text));
  for (const d of docs) for (const f of d) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocabulary = [...counts.keys()].filter((f) => counts.get(f)! >= options.minCount).sort();
  const index = new Map(vocabulary.map((f, i) => [f, i]));
  const rows = docs.map((d) => ({ ids: d.map((f) => index.get(f)).filter((i): i is number => i !== undefined), x: scale(d) }));
  const targets = examples.map((e) => labels.indexOf(e.label));
  if (targets.some((t) => t < 0)) throw new Error('an example has a label the model does not know');

  const K = labels.length;
  const W = new Float64Array(vocabulary.length * K);
  const G = new Float64Array(vocabulary.length * K);
  const bias = new Float64Array(K);
  const gBias = new Float64Array(K);
  const step = (w: Float64Array, g2: Float64Array, j: number, g: number) => {
    g2[j]! += g * g;
    w[j]! -= (options.learningRate * g) / Math.sqrt(g2[j]! + 1e-8);
  };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const r of shuffledOrder(rows.length, epoch)) {
      const row = rows[r]!;
      const scores = Array.from(bias);
      for (const i of row.ids) for (let k = 0; k < K; k++) scores[k]! += W[i * K + k]! * row.x;
      const p = softmax(scores);
      for (let k = 0; k < K; k++) {
        const g = p[k]! - (targets[r] === k ? 1 : 0);
        step(bias, gBias, k, g);
        for (const i of row.ids) step(W, G, i * K + k, g * row.x + options.l2 * W[i * K + k]!);
      }
    }
  }

  const weights: Record<string, number[]> = {};
  vocabulary.forEach((f, i) => {
    const w = Array.from(W.subarray(i * K, (i + 1) * K), round);
    if (w.some((v) => v !== 0)) weights[f] = w;
  });
  return { labels, weights, bias: Array.from(bias, round) };
}
