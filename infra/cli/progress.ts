/** At most one progress line a second on standard error, rewritten in place on a terminal. */
export function progressReporter(err: NodeJS.WritableStream & { isTTY?: boolean }, label: string) {
  let last = 0;
  let shown = false;
  return {
    update({ events, logEntries }: { events: number; logEntries: number }) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      shown = true;
      const text = `${label}: ${events} events, ${logEntries} log entries checked`;
      err.write(err.isTTY ? `\r${text}` : `${text}\n`);
    },
    done() {
      if (shown && err.isTTY) err.write('\n');
    },
  };
}
