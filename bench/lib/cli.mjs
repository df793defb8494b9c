// The command line of a benchmark script: node:util's parseArgs, plus what a person typing it
// needs — `--help` (or `-h`) prints the script's header comment, which is its documentation and
// usage, and a flag the script does not know, or one without its value, prints the error and that
// usage and exits with status 2, instead of a stack trace.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The leading comment of the script at `file` (after a shebang), without the comment markers. */
export function headerComment(file) {
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#!')) continue;
    if (!line.startsWith('//')) {
      if (out.length > 0) break;
      continue;
    }
    out.push(line.replace(/^\/\/ ?/, ''));
  }
  return `${out.join('\n')}\n`;
}

/** parseArgs(config) for the running script (process.argv[1]), with --help and readable errors. */
export function benchArgs(config, { argv = process.argv.slice(2), script = process.argv[1] } = {}) {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(headerComment(script));
    process.exit(0);
  }
  try {
    return parseArgs({ ...config, args: argv });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${headerComment(script)}`);
    process.exit(2);
  }
}
