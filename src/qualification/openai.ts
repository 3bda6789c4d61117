// One qualification turn through OpenAI structured outputs. The SDK's own
// retries are off: Temporal retries the activity, with backoff and a bound.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { Config } from '../config';
import type { BusinessContext, TranscriptLine } from '../../workflows/shared/turn';
import { TurnResult } from './turn';

type AiFailureKind = 'auth' | 'bad-request' | 'refusal' | 'invalid-output' | 'transient';

export class AiError extends Error {
  constructor(
    message: string,
    readonly kind: AiFailureKind,
  ) {
    super(message);
    this.name = 'AiError';
  }

  get permanent(): boolean {
    return this.kind !== 'transient';
  }
}

export interface AiQualifier {
  qualify(transcript: TranscriptLine[], business: BusinessContext): Promise<{ result: TurnResult; tokens: number }>;
}

function systemPrompt(business: BusinessContext): string {
  const area = business.serviceArea.length ? business.serviceArea.join(', ') : 'not restricted';
  return [
    `You are the SMS assistant for ${business.businessName}, a UK ${business.trade ?? 'trades'} business.`,
    `Service area (postcode districts): ${area}. Politely decline jobs outside it.`,
    'Qualify the job: what the problem is, the UK postcode, the customer name, and when suits them.',
    'Triage urgency: EMERGENCY for danger to people or property (gas smell, carbon monoxide, burning electrics, water near electrics, flooding);',
    'URGENT for no heating or hot water, active leaks, no power; ROUTINE otherwise.',
    'For a gas smell always tell them to leave the property and call the National Gas Emergency Service on 0800 111 999.',
    'Reply in plain British English, at most 320 characters, one question at a time.',
    'Never promise a price or an arrival time. In your first reply, say you are an automated assistant for the business.',
  ].join('\n');
}

export function createOpenAiQualifier(config: Config['openai']): AiQualifier {
  const client = new OpenAI({
    apiKey: config.apiKey,
    ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
    maxRetries: 0,
    timeout: config.timeoutMs,
  });
  return {
    async qualify(transcript, business) {
      let completion;
      try {
        completion = await client.chat.completions.parse({
          model: config.model,
          temperature: 0.2,
          messages: [
            { role: 'system', content: systemPrompt(business) },
            ...transcript.map((l) => ({
              role: l.direction === 'INBOUND' ? ('user' as const) : ('assistant' as const),
              content: l.body,
            })),
          ],
          response_format: zodResponseFormat(TurnResult, 'qualification_turn'),
        });
      } catch (err) {
        throw classify(err);
      }
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new AiError(`model refused: ${message.refusal}`, 'refusal');
      const parsed = TurnResult.safeParse(message?.parsed);
      if (!parsed.success) throw new AiError(`model output did not match the schema: ${parsed.error.message}`, 'invalid-output');
      return { result: parsed.data, tokens: completion.usage?.total_tokens ?? 0 };
    },
  };
}

function classify(err: unknown): AiError {
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    if (err.status === 401 || err.status === 403) return new AiError(`OpenAI rejected the key (${err.status})`, 'auth');
    if (err.status === 400 || err.status === 404 || err.status === 422)
      return new AiError(`OpenAI rejected the request (${err.status}): ${err.message}`, 'bad-request');
    return new AiError(`OpenAI error ${err.status}: ${err.message}`, 'transient');
  }
  // Parsing failures of the SDK's own (length limits, content filter) will not change on retry.
  if (err instanceof OpenAI.OpenAIError && !(err instanceof OpenAI.APIError)) {
    return new AiError(`OpenAI output unusable: ${err.message}`, 'invalid-output');
  }
  return new AiError(`OpenAI unreachable: ${(err as Error).message ?? String(err)}`, 'transient');
}
