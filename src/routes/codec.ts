// The codec server (Temporal's Codec Server protocol): the Temporal Web UI and
// `temporal --codec-endpoint` post a history's encrypted payloads here and get
// them back readable. It hands out customers' data, so it answers only a
// signed-in console session (the Web UI in the operator's browser, sending the
// console's cookie cross-origin) or `Authorization: Bearer $CODEC_TOKEN` (the
// CLI). It lives under /console because that is where the cookie is sent.
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Payload } from '@temporalio/common';
import type { Config } from '../config';
import { createSessions } from '../console/session';
import type { Logger } from '../logger';
import { EncryptionCodec } from '../temporal/payload-encryption';

export const CODEC_PATH = '/console/codec';
const MAX_PAYLOADS = 2000;

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** proto3 JSON (every bytes field base64) to the SDK's Payload, refusing anything else. */
function fromJson(body: unknown): Payload[] {
  const payloads = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(payloads)) throw new Error('the body must be {"payloads": [...]}');
  if (payloads.length > MAX_PAYLOADS) throw new Error(`at most ${MAX_PAYLOADS} payloads at a time`);
  const base64 = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0;
  return payloads.map((p: JsonPayload | null, i) => {
    const metadata = p && typeof p === 'object' ? (p.metadata ?? {}) : null;
    if (!p || !metadata || typeof metadata !== 'object' || !Object.values(metadata).every(base64) || (p.data !== undefined && !base64(p.data))) {
      throw new Error(`payload ${i}: must be an object whose metadata values and data are base64 strings`);
    }
    return {
      metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data ?? '', 'base64'),
    };
  });
}

function toJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Null when there is nothing to decode (encryption off) or nobody who could be let in. */
export function codecRoute({ config, logger }: { config: Config; logger: Logger }): Router | null {
  const encryption = config.payloadEncryption;
  if (encryption.mode !== 'on' || (!config.console.password && !config.codecToken)) return null;
  const codec = new EncryptionCodec(encryption.keys);
  const sessions = config.console.password ? createSessions(config.console.password, { secure: config.publicBaseUrl.startsWith('https:') }) : null;
  const uiOrigin = new URL(config.console.temporalUiUrl).origin;
  const router = Router();

  const who = (req: Request): 'console' | 'token' | null => {
    const auth = req.header('authorization')?.replace(/^bearer /i, 'Bearer ');
    if (config.codecToken && auth && timingSafeEqual(digest(auth), digest(`Bearer ${config.codecToken}`))) return 'token';
    if (sessions?.current(req)) return 'console';
    return null;
  };

  // The Web UI calls from its own origin, with the console's cookie: CORS for that origin alone.
  router.use(CODEC_PATH, (req, res, next) => {
    res.vary('Origin');
    if (req.header('origin') === uiOrigin) res.set({ 'Access-Control-Allow-Origin': uiOrigin, 'Access-Control-Allow-Credentials': 'true' });
    if (req.method === 'OPTIONS') {
      res.set({ 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type, X-Namespace, Authorization', 'Access-Control-Max-Age': '600' });
      res.status(204).end();
      return;
    }
    next();
  });

  // Who may read is settled before an 8 MB body is parsed.
  const authorised = (req: Request, res: Response, next: express.NextFunction) => {
    res.set('Cache-Control', 'no-store');
    const caller = who(req);
    if (!caller) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'sign in to the console, or send Authorization: Bearer $CODEC_TOKEN' });
      return;
    }
    res.locals.caller = caller;
    next();
  };
  const json = express.json({ limit: '8mb' });
  for (const direction of ['decode', 'encode'] as const) {
    router.post(`${CODEC_PATH}/${direction}`, authorised, json, async (req: Request, res: Response) => {
      let payloads: Payload[];
      try {
        payloads = fromJson(req.body);
        payloads = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      } catch (err) {
        // A payload no listed key opens is the operator's to hear of: a key left out of PAYLOAD_ENCRYPTION_KEYS.
        logger.warn({ event: `codec.${direction}.refused`, caller: res.locals.caller, error: (err as Error).message }, `codec ${direction} refused`);
        res.status(400).json({ error: (err as Error).message });
        return;
      }
      // Who read customers' data, and how much of it: never what it said.
      logger.info({ event: `codec.${direction}`, caller: res.locals.caller, namespace: req.header('x-namespace'), payloads: payloads.length }, `codec ${direction} of ${payloads.length} payloads`);
      res.json(toJson(payloads));
    });
  }
  return router;
}
