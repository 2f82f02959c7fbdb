// The folder of Vitrine's package.json, found from this module's own location: the files
// that ship beside the code (prisma/migrations, vendor/graphiql) are found from there whether
// the code runs from src/ (through tsx) or from dist/src/ (the production build).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = packageRoot(fileURLToPath(import.meta.url));
