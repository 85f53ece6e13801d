/**
 * Finding the servers e2e tests start (PostgreSQL, redis-server, pebble) on this machine, and what to do
 * when one is missing: skip the tests that need it, with the reason printed, on a developer's machine;
 * under CI (`CI=true`), where `.ci/run` installs them, run them anyway so that they fail loudly.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** The full path of `command` found on PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * The folder holding `initdb`, `postgres` and `pg_ctl`: `pg_config --bindir` (every packaging has it),
 * then `initdb` on PATH, then Debian's /usr/lib/postgresql/<newest>/bin.
 */
export function postgresBinDir(): string | undefined {
  const hasServer = (dir: string) =>
    existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'pg_ctl'));
  const pgConfig = findOnPath('pg_config');
  if (pgConfig) {
    try {
      const dir = execFileSync(pgConfig, ['--bindir'], { encoding: 'utf8' }).trim();
      if (hasServer(dir)) return dir;
    } catch {
      // a broken pg_config: try the other ways
    }
  }
  const initdb = findOnPath('initdb');
  if (initdb) {
    // Often a link (e.g. /usr/local/bin/initdb): the other programs are beside its target.
    const dir = dirname(realpathSync(initdb));
    if (hasServer(dir)) return dir;
  }
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
  return versions.map((version) => join(debian, version, 'bin')).find(hasServer);
}

export interface ServerAvailability {
  /** True when the tests needing this server are to be skipped: it is missing and this is not CI. */
  readonly skip: boolean;
  /** A describe() title that says why when skipped. */
  title(name: string): string;
}

function availability(server: string, found: boolean, install: string): ServerAvailability {
  const skip = !found && process.env.CI !== 'true';
  const reason = `skipped: ${server} not found (${install}); under CI=true these tests run and fail instead`;
  // Printed once per test file, so that the run's output says why its summary counts skipped tests.
  if (skip) process.stderr.write(`${reason}\n`);
  return { skip, title: (name) => (skip ? `${name} (${reason})` : name) };
}

export const POSTGRES = availability('PostgreSQL', postgresBinDir() !== undefined, 'apt-get install postgresql, or put pg_config on PATH');
export const REDIS = availability(
  'redis-server',
  findOnPath('redis-server') !== undefined,
  'apt-get install redis-server, or put it on PATH',
);
export const PEBBLE = availability(
  'pebble',
  findOnPath('pebble') !== undefined && findOnPath('pebble-challtestsrv') !== undefined,
  'apt-get install pebble, which ships pebble-challtestsrv',
);
