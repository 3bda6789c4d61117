// Where the repository's own files are (.data/, docs/, prisma/, the console's
// views), the same whether the code runs from src/ through tsx or compiled
// into dist/src/: the nearest folder above with a package.json.
import { existsSync } from 'node:fs';
import path from 'node:path';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = packageRoot(__dirname);
export const DATA_DIR = path.join(ROOT, '.data');
