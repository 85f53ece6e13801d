/**
 * What a bench run prints: one row per scenario and target, then each target of issue 21 (and the
 * `auth` one of issue 6) with its numbers and whether this run meets it.
 */
import type { ScenarioName, Target } from './scenarios.ts';

export interface Figures {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  rss_mb: number;
  /** User + system CPU time of the target per request answered: steadier than rps on a busy machine. */
  cpu_ms_per_request: number;
  /** Requests received by all fixture subgraphs per client request (bench/subgraph-calls.ts). */
  subgraph_calls_per_request: number;
}

export type Results = Partial<Record<ScenarioName, Partial<Record<Target, Figures>>>>;
/** Why each run that does not count was not valid (failed requests, none answered), by scenario and target. */
export type Invalid = Partial<Record<ScenarioName, Partial<Record<Target, string[]>>>>;

/** Several runs of one target as one: the mean of each figure, the peak of the resident memory. */
export function combineRuns(runs: readonly Figures[]): Figures {
  const mean = (pick: (figures: Figures) => number, decimals: number) =>
    Math.round((runs.reduce((sum, figures) => sum + pick(figures), 0) / runs.length) * 10 ** decimals) / 10 ** decimals;
  return {
    rps: mean((figures) => figures.rps, 1),
    p50_ms: mean((figures) => figures.p50_ms, 1),
    p99_ms: mean((figures) => figures.p99_ms, 1),
    rss_mb: Math.max(...runs.map((figures) => figures.rss_mb)),
    cpu_ms_per_request: mean((figures) => figures.cpu_ms_per_request, 3),
    subgraph_calls_per_request: mean((figures) => figures.subgraph_calls_per_request, 2),
  };
}

export function printTable(results: Results, invalid: Invalid): void {
  const rows = [['scenario', 'target', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'CPU ms/req', 'calls/req']];
  for (const [scenario, byTarget] of Object.entries(results)) {
    for (const [target, figures] of Object.entries(byTarget)) {
      const { rps, p50_ms, p99_ms, rss_mb, cpu_ms_per_request, subgraph_calls_per_request } = figures;
      rows.push([
        scenario,
        target,
        String(rps),
        String(p50_ms),
        String(p99_ms),
        rss_mb.toFixed(1),
        cpu_ms_per_request.toFixed(2),
        subgraph_calls_per_request.toFixed(2),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows)
    console.log(row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  for (const [scenario, byTarget] of Object.entries(invalid))
    for (const [target, reasons] of Object.entries(byTarget))
      for (const reason of reasons) console.log(`${scenario} / ${target} not valid, ${reason}`);
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

/** The best peer (Hive with the Rust planner, as it ships) against ours, on one scenario. */
function againstBestPeer(name: ScenarioName, byTarget: Partial<Record<Target, Figures>> | undefined): string[] {
  const ours = byTarget?.ours;
  const peer = byTarget?.['hive-rust'];
  if (!ours || !peer) return [];
  const lines = [
    `${name}: ours/hive-rust req/s ${ratio(ours.rps, peer.rps)} (target >= 1.5x): ${verdict(ours.rps >= 1.5 * peer.rps)}`,
    `${name}: p99 ours ${ours.p99_ms} ms, hive-rust ${peer.p99_ms} ms (target: no worse): ${verdict(ours.p99_ms <= peer.p99_ms)}`,
    `${name}: CPU ms/req ours ${ours.cpu_ms_per_request.toFixed(2)}, hive-rust ${peer.cpu_ms_per_request.toFixed(2)} (target: lower): ${verdict(ours.cpu_ms_per_request < peer.cpu_ms_per_request)}`,
  ];
  const peers = (['vanilla', 'hive', 'hive-rust'] as const).filter((target) => byTarget[target]);
  const best = peers.reduce((a, b) => (byTarget[a]!.rss_mb <= byTarget[b]!.rss_mb ? a : b));
  const bestMb = byTarget[best]!.rss_mb;
  lines.push(
    `${name}: peak RSS ours ${ours.rss_mb} MB, best peer ${best} ${bestMb} MB (target: at most): ${verdict(ours.rss_mb <= bestMb)}`,
  );
  return lines;
}

export function printTargets(results: Results): void {
  const { single, cross, auth, heavy } = results;
  const lines = [...againstBestPeer('cross', cross), ...againstBestPeer('heavy', heavy)];
  if (single?.ours && single.proxy)
    lines.push(
      `single: ours/proxy req/s ${ratio(single.ours.rps, single.proxy.rps)} (target >= 0.75x): ${verdict(single.ours.rps >= 0.75 * single.proxy.rps)}`,
    );
  if (auth?.ours && cross?.ours)
    lines.push(
      `auth: auth/cross req/s for ours ${ratio(auth.ours.rps, cross.ours.rps)} (target >= 0.9x): ${verdict(auth.ours.rps >= 0.9 * cross.ours.rps)}`,
    );
  console.log('');
  for (const line of lines) console.log(line);
}
