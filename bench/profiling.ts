// `bench/run.ts --profile`: restarts a server under `node --cpu-prof`, loads it with one
// scenario, and summarises the samples of the measured window (start-up and warm-up left out).
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatSummary, summarizeFile, type ProfileSummary } from './profile-summary.ts';

export interface Profile {
  scenario: string;
  /** Which server: today's tree, or the --baseline commit. */
  server: string;
  summary: ProfileSummary;
  file: string;
  rps: number;
}

interface Profiled {
  url: string;
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

export async function profileScenario(options: {
  dir: string;
  scenario: string;
  server: string;
  /** Starts the server with `--cpu-prof --cpu-prof-dir <dir>`. */
  start: (cpuProfDir: string) => Promise<Profiled>;
  /** Loads it for `seconds` and returns the requests per second. */
  load: (url: string, seconds: number) => Promise<number>;
  warmupSeconds: number;
  durationSeconds: number;
}): Promise<Profile> {
  await mkdir(options.dir, { recursive: true });
  const before = new Set(await readdir(options.dir));
  const profiled = await options.start(options.dir);
  const loadStart = Date.now();
  await options.load(profiled.url, options.warmupSeconds + 1);
  const rps = await options.load(profiled.url, options.durationSeconds);
  const skipMs = profiled.readyMs + (Date.now() - loadStart) - options.durationSeconds * 1000;
  const untilMs = profiled.readyMs + (Date.now() - loadStart);
  await profiled.stop();
  // Node writes one profile per thread; thread 0 is the main one (the other is tsx's loader).
  const written = (await readdir(options.dir)).filter((f) => f.endsWith('.cpuprofile') && !before.has(f)).sort();
  const main = written.find((f) => /\.0\.\d+\.cpuprofile$/.test(f)) ?? written[0];
  if (!main) throw new Error(`no .cpuprofile written in ${options.dir}:\n${profiled.output()}`);
  const file = path.join(options.dir, main);
  const summary = await summarizeFile(file, { skipMs, untilMs });
  return { scenario: options.scenario, server: options.server, summary, file, rps };
}

export function renderProfile(profile: Profile, root: string): string {
  return [
    `<details><summary>CPU profile: ${profile.server}, ${profile.scenario} scenario, ${profile.rps.toFixed(1)} req/s with the profiler on (node --cpu-prof, ${path.relative(root, profile.file)})</summary>`,
    '',
    formatSummary(profile.summary),
    '',
    '</details>',
  ].join('\n');
}
