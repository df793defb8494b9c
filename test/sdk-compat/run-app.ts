import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs one of the client apps in `apps/` as its own Node process — an application using the
 * official SDK, exactly as a user would run it — and returns the JSON it prints last.
 * (Running them in a separate process also keeps the test runner's module resolution
 * conditions away from the SDKs.)
 */
export function runApp<T>(name: string, env: Record<string, string>): Promise<T> {
  const script = fileURLToPath(new URL(`./apps/${name}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${name} exited with ${code}\n${stderr}\n${stdout}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${name} printed no JSON result\n${stderr}\n${stdout}`));
      }
    });
  });
}
