// Who may use the console: one password (CONSOLE_PASSWORD), a signed session
// cookie that any API process can check (no session store, so two API
// processes behind a load balancer agree), and a CSRF token per session on
// every form. Changing the password signs everyone out.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { parse as parseCookies } from 'cookie';
import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'jobrun_console';
/** Before sign-in: the double-submit token of the sign-in form. */
const PRESESSION_COOKIE = 'jobrun_console_pre';
const SESSION_MS = 12 * 3_600_000;

const safeEqual = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
};

export interface ConsoleSession {
  id: string;
  csrf: string;
}

export function createSessions(password: string, { secure }: { secure: boolean }) {
  const key = createHmac('sha256', 'jobrun-console-session').update(password).digest();
  const sign = (value: string) => createHmac('sha256', key).update(value).digest('base64url');
  const csrfFor = (id: string) => sign(`csrf:${id}`);
  const cookieOptions = { httpOnly: true, sameSite: 'strict' as const, secure, path: '/console' };

  const cookie = (req: Request, name: string) => parseCookies(req.headers.cookie ?? '')[name];

  return {
    passwordMatches: (given: string) => safeEqual(given, password),

    /** The signed-in session of this request, or null. */
    current(req: Request): ConsoleSession | null {
      const value = cookie(req, SESSION_COOKIE);
      const [id, expires, mac] = value?.split('.') ?? [];
      if (!id || !expires || !mac || !safeEqual(mac, sign(`${id}.${expires}`))) return null;
      if (Number(expires) < Date.now()) return null;
      return { id, csrf: csrfFor(id) };
    },

    signIn(res: Response): void {
      const id = randomBytes(18).toString('base64url');
      const expires = String(Date.now() + SESSION_MS);
      res.cookie(SESSION_COOKIE, `${id}.${expires}.${sign(`${id}.${expires}`)}`, { ...cookieOptions, maxAge: SESSION_MS });
      res.clearCookie(PRESESSION_COOKIE, cookieOptions);
    },

    signOut(res: Response): void {
      res.clearCookie(SESSION_COOKIE, cookieOptions);
    },

    /** The sign-in form's CSRF token, tied to a cookie of its own (there is no session yet). */
    preSessionToken(req: Request, res: Response): string {
      let id = cookie(req, PRESESSION_COOKIE);
      if (!id || !/^[\w-]{24}$/.test(id)) {
        id = randomBytes(18).toString('base64url');
        res.cookie(PRESESSION_COOKIE, id, { ...cookieOptions, maxAge: 3_600_000 });
      }
      return csrfFor(`pre:${id}`);
    },

    preSessionTokenValid(req: Request, token: unknown): boolean {
      const id = cookie(req, PRESESSION_COOKIE);
      return typeof token === 'string' && id !== undefined && safeEqual(token, csrfFor(`pre:${id}`));
    },

    csrfValid(session: ConsoleSession, token: unknown): boolean {
      return typeof token === 'string' && safeEqual(token, session.csrf);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
