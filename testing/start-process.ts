import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface StartedProcess {
  readonly pid: number;
  /** The first line that matched `readyLine`, with its groups. */
  readonly ready: RegExpExecArray;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Sends SIGTERM to the process by its PID (SIGKILL after `graceMs`) and waits for it to exit; returns its exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

export interface StartOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** A line on stdout that says the process is ready, e.g. /listening on (http:\/\/\S+)/. */
  readonly readyLine: RegExp;
  readonly deadlineMs: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Spawns a process and resolves once it prints its ready line; rejects, having stopped it, if the deadline passes first. */
export async function startProcess(options: StartOptions): Promise<StartedProcess> {
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async (graceMs = 5000): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      }, graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    }
    return child.exitCode;
  };
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(0).then(() =>
        reject(
          new Error(
            `${options.command} printed no line matching ${options.readyLine} within ${options.deadlineMs} ms:\n${output}`,
          ),
        ),
      );
    }, options.deadlineMs);
    lines.on('line', (line) => {
      output += `${line}\n`;
      const match = options.readyLine.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.command} exited with ${code} before it was ready:\n${output}`));
    });
  });
  return { pid: requirePid(child), ready, output: () => output, stop };
}

function requirePid(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('The process has no PID: it did not start.');
  return child.pid;
}
