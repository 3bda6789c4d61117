// The browser the console's tests drive: Debian's chromium (Playwright's own
// download does not work on these machines), installed as Postgres is when
// the suite runs as root on a machine without it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { firstRunStep, isRoot } from './exec';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function ensureChromium(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found) return found;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    firstRunStep('installing Chromium for the console tests (apt-get install chromium)', () => {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    });
    if (existsSync(CANDIDATES[0]!)) return CANDIDATES[0]!;
  }
  throw new Error('Chromium is not installed: install it (Debian: apt-get install chromium) to run the console tests');
}

/** Flags for a headless Chromium on a machine with a closed network, run as root. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
