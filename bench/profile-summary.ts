// Summarises a V8 .cpuprofile (node --cpu-prof): where the samples went, by package and by
// function, self and inclusive. Used by `bench/run.ts --profile`; also on its own:
//   npx tsx bench/profile-summary.ts bench/profiles/<file>.cpuprofile [--skip-ms N] [--until-ms N]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  /** Self time by package or area. */
  selfByArea: Row[];
  /** Time with at least one frame of the area on the stack (overlapping). */
  inclusiveByArea: Row[];
  topSelfFunctions: Row[];
  /** Inclusive time of notable functions (GraphQL phases, Prisma, JSON). */
  markers: Row[];
}

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The package or area a frame belongs to. */
export function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(program)') return '(program: V8/native)';
    if (functionName === '(root)') return '(root)';
    return '(native)';
  }
  if (url.startsWith('wasm://')) return 'wasm (Prisma query compiler)';
  if (url.startsWith('node:')) {
    const mod = url.slice(5).split('/')[0]!;
    return `node:${mod.startsWith('internal') ? url.slice(5).split('/').slice(0, 2).join('/') : mod}`;
  }
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
    if (pkg === '@prisma/client' && /runtime\/.*query_compiler/.test(file)) return '@prisma/client (query compiler glue)';
    return pkg;
  }
  if (file.startsWith(ROOT + path.sep)) {
    const rel = path.relative(ROOT, file).split(path.sep);
    if (rel[0] === 'src' && rel[1] === 'generated') return 'src/generated (Prisma client)';
    return rel.length > 2 ? `${rel[0]}/${rel[1]}` : rel.join('/');
  }
  return file;
}

const MARKERS: { name: string; test: (f: CallFrame, area: string) => boolean }[] = [
  {
    name: 'GraphQL execution (@graphql-tools/executor or graphql execute)',
    test: (f, a) => a === '@graphql-tools/executor' || (a === 'graphql' && /^execute/.test(f.functionName)),
  },
  { name: 'GraphQL parse + validate', test: (f, a) => a === 'graphql' && (f.functionName === 'parse' || f.functionName === 'validate') },
  {
    name: "yoga's result serialization (jsonStringifyResultWithoutInternals)",
    test: (f) => f.functionName === 'jsonStringifyResultWithoutInternals',
  },
  { name: 'vitrine protections (measureOperation)', test: (f) => f.functionName === 'measureOperation' },
  { name: 'JSON.parse', test: (f) => f.functionName === 'parse' && !f.url },
  {
    name: 'Prisma client (any frame of @prisma/* or src/generated)',
    test: (_f, a) => a.startsWith('@prisma/') || a.startsWith('src/generated') || a.startsWith('wasm'),
  },
  { name: 'pg driver (pg, pg-protocol, pg-pool)', test: (_f, a) => a === 'pg' || a === 'pg-protocol' || a === 'pg-pool' },
  { name: 'Pothos plugins', test: (_f, a) => a.startsWith('@pothos/') },
  {
    name: 'yoga / envelop / whatwg-node',
    test: (_f, a) => a.startsWith('@graphql-yoga') || a === 'graphql-yoga' || a.startsWith('@envelop') || a.startsWith('@whatwg-node'),
  },
];

function rows(map: Map<string, number>, total: number, limit: number): Row[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: total ? us / total : 0 }));
}

/**
 * Summarises the samples taken from `skipMs` after the profile started (to leave out
 * start-up and warm-up) to `untilMs` (default: the end).
 */
export function summarize(profile: CpuProfile, options: { skipMs?: number; untilMs?: number } = {}): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const areaCache = new Map<number, string>();
  const area = (id: number) => {
    let a = areaCache.get(id);
    if (a === undefined) areaCache.set(id, (a = areaOf(byId.get(id)!.callFrame)));
    return a;
  };

  const from = profile.startTime + (options.skipMs ?? 0) * 1000;
  const until = options.untilMs === undefined ? Number.POSITIVE_INFINITY : profile.startTime + options.untilMs * 1000;
  const selfArea = new Map<string, number>();
  const inclArea = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const markers = new Map<string, number>();
  let t = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < from || t > until) continue;
    // A sample's time is the gap to the next one.
    const us = profile.timeDeltas[i + 1] ?? delta;
    windowUs += us;
    const leaf = profile.samples[i]!;
    const leafArea = area(leaf);
    if (leafArea === '(idle)') {
      idleUs += us;
      continue;
    }
    selfArea.set(leafArea, (selfArea.get(leafArea) ?? 0) + us);
    const f = byId.get(leaf)!.callFrame;
    const fnKey = `${f.functionName || '(anonymous)'} — ${leafArea}${f.url && !f.url.startsWith('node:') ? `:${f.lineNumber + 1}` : ''}`;
    selfFn.set(fnKey, (selfFn.get(fnKey) ?? 0) + us);
    const seenAreas = new Set<string>();
    const seenMarkers = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
      const a = area(id);
      if (!seenAreas.has(a)) {
        seenAreas.add(a);
        inclArea.set(a, (inclArea.get(a) ?? 0) + us);
      }
      const frame = byId.get(id)!.callFrame;
      for (const marker of MARKERS) {
        if (!seenMarkers.has(marker.name) && marker.test(frame, a)) {
          seenMarkers.add(marker.name);
          markers.set(marker.name, (markers.get(marker.name) ?? 0) + us);
        }
      }
    }
  }
  const busy = windowUs - idleUs;
  inclArea.delete('(root)');
  return {
    windowMs: Math.round(windowUs / 1000),
    busyMs: Math.round(busy / 1000),
    selfByArea: rows(selfArea, busy, 20),
    inclusiveByArea: rows(inclArea, busy, 20),
    topSelfFunctions: rows(selfFn, busy, 25),
    markers: rows(markers, busy, MARKERS.length),
  };
}

export async function summarizeFile(file: string, options: { skipMs?: number; untilMs?: number } = {}): Promise<ProfileSummary> {
  return summarize(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, options);
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

export function formatSummary(summary: ProfileSummary): string {
  const table = (title: string, list: Row[]) =>
    [
      `| ${title} | ms | share of busy |`,
      '| --- | ---: | ---: |',
      ...list.map((r) => `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms} | ${pct(r.share)} |`),
    ].join('\n');
  return [
    `Window ${summary.windowMs} ms, busy (not idle) ${summary.busyMs} ms (${pct(summary.windowMs ? summary.busyMs / summary.windowMs : 0)}).`,
    '',
    table('self time by area', summary.selfByArea),
    '',
    table('inclusive time by area (overlapping)', summary.inclusiveByArea),
    '',
    table('inclusive time of notable frames (overlapping)', summary.markers),
    '',
    table('top functions by self time', summary.topSelfFunctions),
  ].join('\n');
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [--skip-ms N] [--until-ms N]\n');
    process.exit(2);
  }
  const flag = (name: string) => {
    const index = process.argv.indexOf(name);
    return index > 0 ? Number(process.argv[index + 1]) : undefined;
  };
  const skipMs = flag('--skip-ms') ?? 0;
  const untilMs = flag('--until-ms');
  summarizeFile(file, { skipMs, ...(untilMs === undefined ? {} : { untilMs }) }).then(
    (s) => process.stdout.write(formatSummary(s) + '\n'),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
