import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { signToken } from '../../infra/local/jwt.ts';
import { benchRuntime } from './bench-runtime.ts';
import { send } from './http.ts';
import { type Latency, measure } from './stats.ts';

export interface AttachmentRun {
  step: string;
  size: string;
  clients: number;
  latency: Latency;
}

export interface AttachmentFigures {
  runs: AttachmentRun[];
  /** Bytes on disk for a file of `plainBytes` (the local store's envelope). */
  plainBytes: number;
  storedBytes: number;
}

/** A PNG of about `size` bytes: a real signature and header, then filler (the type check reads the start). */
const pngOf = (size: number) =>
  Buffer.concat([
    Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
    Buffer.alloc(Math.max(0, size - 70), 7),
  ]);

/** A raw POST of bytes, on its own socket (large bodies), answering status and text. */
const postBytes = (url: string, token: string, contentType: string, bytes: Buffer) =>
  new Promise<{ status: number; body: string }>((done, fail) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': String(bytes.length) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', fail);
    req.end(bytes);
  });

const getBytes = (url: string, token: string) =>
  new Promise<{ status: number; bytes: number }>((done, fail) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => done({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', fail);
    req.end();
  });

/**
 * Attachments on the local runtime: upload (the file in the body), attach to a message, read back,
 * for a small and a large file, at 1 and 8 clients; and what the local store keeps on disk per file.
 */
export async function attachmentBench(endpoint: string): Promise<AttachmentFigures> {
  const { runtime, secret } = await benchRuntime(endpoint, 'bench-files');
  try {
    const { url, deps } = runtime.endpoints[0]!;
    const token = await signToken(secret, { tenant: 'bench-files', roles: ['agent'], sub: 'bench' });
    // Messages go to 20 tickets in turn, as an agent's replies spread over a queue.
    const tickets: string[] = [];
    for (let i = 0; i < 20; i++) {
      const opened = await send(`${url}/v1/tickets`, 'POST', token, {
        subject: 'Photos of the damage',
        description: 'See the attached photos.',
        channel: 'web',
        requester: { email: `files${i}@example.de`, name: 'Anna', country: 'DE' },
      });
      tickets.push(JSON.parse(opened.body).id as string);
    }
    const runs: AttachmentRun[] = [];
    for (const [size, label] of [
      [64 * 1024, '64 KiB'],
      [4 * 1024 * 1024 - 1024, '4 MiB'],
    ] as const) {
      const file = pngOf(size);
      for (const clients of [1, 8]) {
        const total = size > 1024 * 1024 ? 40 : 200;
        const tokens: string[] = [];
        const ids: string[] = [];
        const upload = await measure(total, clients, async () => {
          const answer = await postBytes(`${url}/v1/uploads?filename=photo.png`, token, 'image/png', file);
          if (answer.status !== 201) throw new Error(`upload answered ${answer.status}: ${answer.body}`);
          tokens.push(JSON.parse(answer.body).token);
        });
        const attach = await measure(total, clients, async (i) => {
          const answer = await send(`${url}/v1/tickets/${tickets[i % tickets.length]}/messages`, 'POST', token, {
            body: 'A photo',
            from: 'agent',
            attachments: [tokens[i]],
          });
          if (answer.status !== 201) throw new Error(`attach answered ${answer.status}: ${answer.body}`);
          ids.push(JSON.parse(answer.body).attachments[0].id);
        });
        const read = await measure(total, clients, async (i) => {
          const answer = await getBytes(`${url}/v1/attachments/${ids[i]}`, token);
          if (answer.status !== 200 || answer.bytes !== file.length) throw new Error(`read answered ${answer.status}`);
        });
        runs.push(
          { step: 'upload (POST /v1/uploads)', size: label, clients, latency: upload },
          { step: 'attach (POST .../messages)', size: label, clients, latency: attach },
          { step: 'read (GET /v1/attachments/{id})', size: label, clients, latency: read },
        );
      }
    }
    // The first file attached (64 KiB): its plain size, and what the local store keeps for it.
    const id = (await firstAttachmentId(url, token, tickets[0]!))!;
    const plainBytes = (await deps.attachments.files.get('bench-files', id))?.length ?? 0;
    const storedBytes = statSync(join('.meridian-bench', 'eu-central-1', 'attachments', 'files', 'bench-files', id)).size;
    return { runs, plainBytes, storedBytes };
  } finally {
    await runtime.stop();
  }
}

const firstAttachmentId = async (url: string, token: string, ticketId: string) => {
  const answer = await send(`${url}/v1/tickets/${ticketId}/messages`, 'GET', token);
  return (JSON.parse(answer.body).items as Array<{ attachments: Array<{ id: string }> }>).at(0)?.attachments[0]?.id;
};
