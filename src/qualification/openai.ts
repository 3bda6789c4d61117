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

// The same urgency policy and the same ways of writing that the rules engine
// is evaluated on (eval/cases.ts): the rules are the floor under the model,
// so the two must agree on what an emergency is.
const TRIAGE_GUIDE = [
  'Triage urgency from what is happening now:',
  '- EMERGENCY: danger to people or property now. A gas smell (however described: rotten eggs, "a whiff o gas"); a carbon monoxide alarm sounding, or headaches, sickness or dizziness near a gas appliance; burning, sparking, sizzling or smoking electrics, or a shock off anything; water on or in electrics (lights, sockets, fuse box, extractor fan); exposed live wires; a burst pipe or flooding; sewage or dirty water coming up inside the home; someone locked out of their home, or a child or vulnerable person behind a locked door; a home that cannot be secured (after a break-in, the only door will not lock); a ceiling sagging with water, or masonry, tiles or guttering that could fall where people walk.',
  '- URGENT: no heating or hot water; an active leak or drip; no water from the taps; no power or tripping electrics; a blocked toilet, drain or sink; storm damage letting rain in; a door that will not lock while someone is home; or the customer asks for today or as soon as possible.',
  '- ROUTINE: quotes, installs, servicing, certificates, cosmetic or intermittent faults that are fine now.',
  'People write as they speak. Read dialect and regional spelling (Scots "nae", "oot", "wee", "the day" for today, "canny" for cannot; Northern "owt", "nowt", "reet"; Black Country "her cor" for she cannot; Welsh and Irish English, "is after breaking" for has just broken), text-speak and misspellings, of hazard words too ("evry", "thru", "radiater", "nohotwater", "gass", "smel", "monoxcide", "sparkin", "snapd"), and slang ("packed up", "knackered", "conked out", "on the blink", "baltic" for freezing). "Sparky" and "leccy" are an electrician and electricity, not sparks: slang alone is never a hazard.',
  'Hazards are often described rather than named: a smell of rotten eggs or a struck match by the cooker is gas; a box by the boiler that keeps beeping is a CO alarm; a socket that went pop and left a black mark is burning electrics; a toddler behind a door that has gone on the latch is a child shut in; a ceiling gone saggy with water, or bricks or coping stones loose above a path, can fall on someone.',
  'Negation reaches only its own clause: "no water on the floor though" denies a flood, but "no leaks, but water is coming through the ceiling" reports one. A fault that is over ("been bone dry since you fixed it", "came back on by itself", "smelt gas last winter, all fine since") is not happening now, unless they say it is back ("done it again"); a service or check asked for after a past fault is ROUTINE. A fear is not a report ("before it packs in", "in case it leaks").',
  'Tell an enquiry from a report: "do you do 24hr emergency callouts?" or a price for an EV charger is a ROUTINE question about the service; a question that also reports a fault ("how much for a lockout? I am stood outside now") is triaged on the fault. In a long message, triage on the fault wherever it comes.',
  'Never downgrade a safety hazard because the customer says it is not urgent; for anything else their word counts.',
].join('\n');

function systemPrompt(business: BusinessContext): string {
  const area = business.serviceArea.length ? business.serviceArea.join(', ') : 'not restricted';
  return [
    `You are the SMS assistant for ${business.businessName}, a UK ${business.trade ?? 'trades'} business.`,
    `Service area (postcode districts): ${area}. Politely decline jobs outside it.`,
    'Qualify the job: what the problem is, the UK postcode, the customer name, and when suits them.',
    TRIAGE_GUIDE,
    'For a gas smell or carbon monoxide always tell them to leave the property (or get into fresh air) and call the National Gas Emergency Service on 0800 111 999; for fire, or anyone hurt or unwell, 999.',
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
