import { Logger } from '@aws-lambda-powertools/logger';

/** The runtime's logger, keeping each line in `lines` (to assert on) instead of printing it. */
export function capturingLogger(lines: string[]): Logger {
  const logger = new Logger({ serviceName: 'meridian', logLevel: 'INFO', logRecordOrder: ['level', 'message'] });
  const keep = (line: string) => void lines.push(line);
  (logger as unknown as { console: Console }).console = {
    ...console,
    info: keep,
    warn: keep,
    error: keep,
    debug: keep,
    log: keep,
  } as Console;
  return logger;
}
