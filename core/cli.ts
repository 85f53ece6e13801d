/**
 * What every command of the platform does with its arguments before anything else: `--help` (or `-h`)
 * prints its usage and exits 0 having done nothing; an option it does not know stops it with exit code 2
 * and the usage, instead of being taken for a file or a name.
 */
export interface CommandLine {
  positional: string[];
  /** The options of `knownFlags` that were given. */
  flags: Set<string>;
}

export function parseCommandLine(usage: string, { knownFlags = [] as string[], args = process.argv.slice(2) } = {}): CommandLine {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  const unknown = args.find((arg) => arg.startsWith('-') && !knownFlags.includes(arg));
  if (unknown) {
    console.error(`unknown option ${unknown}\n\n${usage}`);
    process.exit(2);
  }
  return { positional: args.filter((arg) => !arg.startsWith('-')), flags: new Set(args.filter((arg) => knownFlags.includes(arg))) };
}
