// OpenAI's chat completions endpoint at the wire, answering with whatever
// turn the test scripts, or failing as told.
import http from 'node:http';
import { close, listen, readBody, sendJson } from './http';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string } };
}

type Answer = { status: number; body?: unknown } | { turn: unknown } | { refusal: string };

/** The customer's latest text in a chat completion request. */
export function lastUserMessage(req: ChatRequest): string | undefined {
  return [...req.messages].reverse().find((m) => m.role === 'user')?.content;
}

export class FakeOpenAI {
  readonly requests: ChatRequest[] = [];
  private queue: Answer[] = [];
  /** Added before every answer: a model's think time, for benchmarks. */
  delayMs = 0;
  /** Used when nothing is queued. */
  fallback: (req: ChatRequest) => Answer = () => ({ status: 500, body: { error: { message: 'no answer scripted' } } });
  private server = http.createServer((req, res) => {
    this.handle(req, res).catch((err: unknown) => sendJson(res, 500, { error: { message: String(err) } }));
  });
  url = '';

  async start(): Promise<this> {
    this.url = `http://127.0.0.1:${await listen(this.server)}/v1`;
    return this;
  }

  stop(): Promise<void> {
    return close(this.server);
  }

  enqueue(...answers: Answer[]): void {
    this.queue.push(...answers);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, { error: { message: 'not found' } });
    const body = JSON.parse(await readBody(req)) as ChatRequest;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.requests.push(body);
    const answer = this.queue.shift() ?? this.fallback(body);
    if ('status' in answer) return sendJson(res, answer.status, answer.body ?? { error: { message: `fake status ${answer.status}`, type: 'server_error' } });
    const refusal = 'refusal' in answer ? answer.refusal : null;
    const content = 'turn' in answer ? JSON.stringify(answer.turn) : null;
    return sendJson(res, 200, {
      id: `chatcmpl-${this.requests.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 100, completion_tokens: 40, total_tokens: 140 },
    });
  }
}
