/** Latency figures of one run, in milliseconds. */
export interface Latency {
  count: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

/** Percentiles of a list of milliseconds. */
export const percentiles = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: sorted.at(-1) ?? NaN };
};

export function summarise(samples: number[], wallMs: number): Latency {
  const { count, p50, p99, max } = percentiles(samples);
  return { count, p50, p99, max, perSecond: (count / wallMs) * 1000 };
}

/** Runs `task` `total` times with `concurrency` in flight; returns each call's latency. */
export async function measure(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<Latency> {
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        samples.push(performance.now() - t0);
      }
    }),
  );
  return summarise(samples, performance.now() - started);
}
