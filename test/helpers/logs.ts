import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLogs {
  logger: Logger;
  messages: { level: number; msg: string; [key: string]: unknown }[];
  /** Resolves once a line whose message contains `text` has been logged (or fails after `timeoutMs`). */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
}

export function captureLogs(): CapturedLogs {
  const messages: CapturedLogs['messages'] = [];
  const waiters: { text: string; resolve: () => void }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const line = JSON.parse(String(chunk)) as CapturedLogs['messages'][number];
      messages.push(line);
      for (const waiter of waiters.filter((w) => line.msg?.includes(w.text))) waiter.resolve();
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    messages,
    waitFor(text, timeoutMs = 10_000) {
      if (messages.some((line) => line.msg?.includes(text))) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line containing "${text}" within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ text, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}
