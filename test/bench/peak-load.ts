import { parentPort, workerData } from 'node:worker_threads';
import { type Answer, closeAgent, send } from './http.ts';
import { type Phase, runPhases } from './peak.ts';

/** What the peak's load generator is given: where to send, as whom, tickets to write to, and the phases. */
export interface PeakLoad {
  url: string;
  token: string;
  pool: string[];
  phases: Phase[];
}

export const ticketBody = (i: number) => ({
  subject: `Order ${i}: wrong size delivered`,
  description: 'I ordered a medium and received a small. Can you exchange it?',
  channel: 'email',
  requester: { email: `peak-${i}@example.de`, name: 'Lena Fischer', country: 'DE' },
});

export const idOf = (answer: Answer) => (JSON.parse(answer.body) as { id: string }).id;

/** The peak's mix: creates, requester messages, ticket reads and queue reads. */
function peakOperations({ url, token, pool }: PeakLoad) {
  const someTicket = (i: number) => pool[(i * 31) % pool.length]!;
  return [
    {
      name: 'create ticket',
      weight: 2,
      run: async (i: number) => {
        const answer = await send(`${url}/v1/tickets`, 'POST', token, ticketBody(i));
        if (answer.status === 201) pool.push(idOf(answer));
        return answer.status;
      },
    },
    {
      name: 'add message',
      weight: 3,
      run: async (i: number) =>
        (await send(`${url}/v1/tickets/${someTicket(i)}/messages`, 'POST', token, { body: `Any news? (${i})`, from: 'requester' })).status,
    },
    { name: 'read ticket', weight: 3, run: async (i: number) => (await send(`${url}/v1/tickets/${someTicket(i)}`, 'GET', token)).status },
    { name: 'read queue', weight: 2, run: async () => (await send(`${url}/v1/tickets?status=new&limit=25`, 'GET', token)).status },
  ];
}

// Run as a worker thread (peak-scenario.ts): the generator keeps its own event loop, so the
// runtime's busy loop neither delays the schedule nor shares its thread with the client's work.
if (parentPort && workerData) {
  const load = workerData as PeakLoad;
  parentPort.postMessage(await runPhases(load.phases, peakOperations(load)));
  await closeAgent();
}
