import { upsertRacing } from '../src/db';
import type { ActivityDeps } from './deps';

interface AiUsageInput {
  clientId: string;
  engine: 'openai' | 'rules';
  tokens: number;
  /** The rules engine answered because OpenAI failed or a cap was reached. */
  fallback: boolean;
}

/** One row per client per (UTC) day: what JobRun's AI costs for each client. */
export function createRecordAiUsage({ db }: ActivityDeps) {
  return async function recordAiUsage(input: AiUsageInput): Promise<void> {
    const day = new Date(new Date().toISOString().slice(0, 10));
    const increments = { turns: { increment: 1 }, tokens: { increment: input.tokens }, fallbacks: { increment: input.fallback ? 1 : 0 } };
    await upsertRacing(() =>
      db.aiUsage.upsert({
        where: { clientId_day: { clientId: input.clientId, day } },
        create: { clientId: input.clientId, day, turns: 1, tokens: input.tokens, fallbacks: input.fallback ? 1 : 0 },
        update: increments,
      }),
    );
  };
}
