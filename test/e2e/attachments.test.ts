import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentLimits } from '../../domain/ticket/attachments.ts';
import {
  call,
  eventually,
  newTicket,
  type Reply,
  scanAllTables,
  scanItems,
  startTestRuntime,
  type TestRuntime,
} from '../support/runtime.ts';

/** Every file under a folder, as bytes. */
async function folderBytes(dir: string): Promise<Buffer> {
  const files: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(files);
}

// A real 1x1 PNG, a minimal PDF, a Windows executable's header, and text that must never be found at rest.
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
const exe = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(62), Buffer.from('PE\0\0', 'latin1'), Buffer.alloc(64)]);
const secretText = 'INVOICE-PLAINTEXT-7c1e: Anna owes 42 EUR';
const secretName = 'rechnung-schmidt-ZX81.txt';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('attachments, over HTTP', () => {
  let rt: TestRuntime;
  let agent: string;
  let dpo: string;
  let clockOffsetMs = 0;

  const upload = (bytes: Buffer, contentType: string, filename = 'file.bin', token = agent) =>
    fetch(`${rt.url}/v1/uploads?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: bytes,
    }).then(async (reply): Promise<Reply> => ({ status: reply.status, headers: reply.headers, body: await reply.json() }));
  const open = async (email = 'anna.schmidt@example.de') => {
    const created = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ requester: { email, name: 'Anna Schmidt', country: 'DE' } }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const reply = (ticketId: string, attachments: string[], token = agent) =>
    call(rt.url, 'POST', `/v1/tickets/${ticketId}/messages`, { token, body: { body: 'See attached', from: 'agent', attachments } });
  const download = (id: string, token = agent) =>
    fetch(`${rt.url}/v1/attachments/${id}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  const uploadRecords = async () =>
    (await scanItems(rt.endpoints[0]!.deps, rt.endpoints[0]!.deps.config.idempotencyTable)).filter((item) =>
      item.pk?.S?.startsWith('upload#'),
    ).length;

  beforeAll(async () => {
    rt = await startTestRuntime({ clock: () => new Date(Date.now() + clockOffsetMs) });
    agent = await rt.token('acme', ['agent'], 'agent-7');
    dpo = await rt.token('acme', ['dpo'], 'dpo-1');
  });
  afterAll(() => rt?.stop());

  it('uploads a file, attaches it to a message once, and serves it to readers of personal data only', async () => {
    const ticketId = await open();
    const uploaded = await upload(png, 'image/png', 'Screenshot 2026-12-01 (1).png');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body).toMatchObject({
      filename: 'Screenshot 2026-12-01 (1).png',
      contentType: 'image/png',
      size: png.length,
      sha256: sha256(png),
    });
    expect(Date.parse(uploaded.body.expiresAt) - Date.now()).toBeGreaterThan(3500_000);

    const added = await reply(ticketId, [uploaded.body.token]);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const [attachment] = added.body.attachments;
    expect(attachment).toMatchObject({ filename: 'Screenshot 2026-12-01 (1).png', contentType: 'image/png', size: png.length });
    expect(attachment.url).toBe(`/v1/attachments/${attachment.id}`);
    const listed = await call(rt.url, 'GET', `/v1/tickets/${ticketId}/messages`, { token: agent });
    expect(listed.body.items.at(-1).attachments).toEqual([attachment]);

    // Integrators learn of the file from the change feed (and webhooks): its id, type and size, not its name.
    const integrator = await rt.token('acme', ['integrator']);
    const change = await eventually(
      () => call(rt.url, 'GET', '/v1/changes?limit=1000', { token: integrator }),
      (reply) => reply.body.items?.some((c: { detail: { messageId?: string } }) => c.detail.messageId === added.body.id),
      10_000,
    );
    const detail = change.body.items.find((c: { detail: { messageId?: string } }) => c.detail.messageId === added.body.id).detail;
    expect(detail.attachments).toEqual([{ id: attachment.id, contentType: 'image/png', size: png.length }]);
    expect(JSON.stringify(change.body)).not.toContain('Screenshot');

    const file = await download(attachment.id);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''Screenshot%202026-12-01%20%281%29.png");
    expect(file.headers.get('etag')).toBe(`"${sha256(png)}"`);
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);

    // Once, by its tenant: not on a second message, not by another tenant, not read by another tenant or an auditor.
    const again = await reply(ticketId, [uploaded.body.token]);
    expect(again.status).toBe(400);
    expect(again.body.errors[0].message).toBe('The upload is attached already');
    const otherTicket = await open('someone.else@example.de');
    const taken = await reply(otherTicket, [uploaded.body.token]);
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual([{ path: '/attachments/0', location: 'body', message: 'The upload is attached already' }]);
    const globex = await rt.token('globex', ['agent']);
    expect((await download(attachment.id, globex)).status).toBe(404);
    expect((await download(attachment.id, await rt.token('acme', ['auditor']))).status).toBe(403);
    expect((await download('01J00000000000000000000000')).status).toBe(404);
    const foreign = await upload(pdf, 'application/pdf', 'x.pdf', globex);
    expect((await reply(ticketId, [foreign.body.token])).status).toBe(400);
  });

  it('opens a ticket with files: on a requester message without text, written with the opening', async () => {
    const token = (await upload(png, 'image/png', 'damage.png')).body.token;
    const created = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ requester: { email: 'opening.files@example.de', name: 'Anna', country: 'DE' }, attachments: [token] }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.version).toBeGreaterThanOrEqual(2);
    const messages = await call(rt.url, 'GET', `/v1/tickets/${created.body.id}/messages`, { token: agent });
    expect(messages.body.items).toEqual([
      expect.objectContaining({ from: 'requester', body: '', attachments: [expect.objectContaining({ filename: 'damage.png' })] }),
    ]);
    // Refused before anything is claimed: another region's requester, or a bad token.
    const elsewhere = await call(rt.url, 'POST', '/v1/tickets', {
      token: agent,
      body: newTicket({ requester: { email: 'us@example.com', name: 'Sam', country: 'US' }, attachments: [token] }),
    });
    expect(elsewhere.status).toBe(421);
    const taken = await call(rt.url, 'POST', '/v1/tickets', { token: agent, body: newTicket({ attachments: [token] }) });
    expect(taken.status).toBe(400);
    expect(taken.body.errors[0].path).toBe('/attachments/0');
  });

  it('gives the first answer again to a retry with the same Idempotency-Key, and attaches the file once', async () => {
    const ticketId = await open();
    const token = (await upload(pdf, 'application/pdf', 'retry.pdf')).body.token;
    const send = () =>
      call(rt.url, 'POST', `/v1/tickets/${ticketId}/messages`, {
        token: agent,
        headers: { 'idempotency-key': `retry-${ticketId}` },
        body: { body: 'Attached once', from: 'agent', attachments: [token] },
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const messages = await call(rt.url, 'GET', `/v1/tickets/${ticketId}/messages`, { token: agent });
    expect(messages.body.items.filter((m: { body: string }) => m.body === 'Attached once')).toHaveLength(1);
  });

  it('refuses a file by its bytes, naming why, and writes nothing', async () => {
    const before = await uploadRecords();
    const mismatch = await upload(png, 'application/pdf');
    expect(mismatch.status).toBe(415);
    expect(mismatch.headers.get('content-type')).toContain('application/problem+json');
    expect(mismatch.body).toMatchObject({ reason: 'type-mismatch', detected: 'image/png' });
    const program = await upload(exe, 'application/octet-stream');
    expect(program.status).toBe(415);
    expect(program.body).toMatchObject({ reason: 'type-not-allowed', detected: 'application/x-msdownload' });
    const binaryAsText = await upload(Buffer.from([0x41, 0, 0x42]), 'text/plain');
    expect(binaryAsText.body.reason).toBe('type-mismatch');
    const large = await upload(Buffer.alloc(attachmentLimits.bytesPerDirectUpload + 1, 'a'), 'text/plain');
    expect(large.status).toBe(413);
    expect(large.body.reason).toBe('too-large');
    expect((await upload(Buffer.alloc(0), 'text/plain')).status).toBe(400);
    const unnamed = await fetch(`${rt.url}/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'image/png' },
      body: png,
    });
    expect(unnamed.status).toBe(400);
    expect((await upload(png, 'image/png', 'a/b.png')).status).toBe(400);
    expect(await uploadRecords()).toBe(before);

    // A refused message claims nothing: the token still attaches elsewhere.
    const ticketId = await open();
    const closed = await open('closed@example.de');
    for (const body of [{ status: 'solved', assignee: 'agent-7' }, { status: 'closed' }]) {
      expect((await call(rt.url, 'PATCH', `/v1/tickets/${closed}`, { token: agent, body })).status).toBe(200);
    }
    const token = (await upload(pdf, 'application/pdf', 'terms.pdf')).body.token;
    expect((await reply(closed, [token])).status).toBe(409);
    expect((await reply(ticketId, [token])).status).toBe(201);
  });

  it('takes a large file through an upload URL, checked when it is attached', async () => {
    const ticketId = await open();
    const offer = await call(rt.url, 'POST', '/v1/uploads', {
      token: agent,
      body: { filename: 'contract.pdf', contentType: 'application/pdf', size: pdf.length },
    });
    expect(offer.status, JSON.stringify(offer.body)).toBe(201);
    expect(offer.body.uploadHeaders).toEqual({ 'content-type': 'application/pdf' });
    expect((await reply(ticketId, [offer.body.token])).body.errors[0].message).toBe("The upload URL's file has not arrived yet");

    const forged = new URL(offer.body.uploadUrl);
    forged.searchParams.set('signature', 'x'.repeat(43));
    expect((await fetch(forged, { method: 'PUT', headers: offer.body.uploadHeaders, body: pdf })).status).toBe(403);
    const put = await fetch(offer.body.uploadUrl, { method: 'PUT', headers: offer.body.uploadHeaders, body: pdf });
    expect(put.status).toBe(200);

    const added = await reply(ticketId, [offer.body.token]);
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.attachments[0]).toMatchObject({ filename: 'contract.pdf', size: pdf.length, sha256: sha256(pdf) });
    expect(Buffer.from(await (await download(added.body.attachments[0].id)).arrayBuffer()).equals(pdf)).toBe(true);

    // Bytes of another type than announced are refused at the claim.
    const lying = await call(rt.url, 'POST', '/v1/uploads', {
      token: agent,
      body: { filename: 'photo.png', contentType: 'image/png', size: exe.length },
    });
    await fetch(lying.body.uploadUrl, { method: 'PUT', headers: lying.body.uploadHeaders, body: exe });
    const refused = await reply(ticketId, [lying.body.token]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toContain('application/x-msdownload');
  });

  it('lets a token lapse after an hour', async () => {
    const ticketId = await open();
    const token = (await upload(pdf, 'application/pdf', 'late.pdf')).body.token;
    clockOffsetMs = attachmentLimits.tokenSeconds * 1000 + 1000;
    try {
      const late = await reply(ticketId, [token]);
      expect(late.status).toBe(400);
      expect(late.body.errors[0].message).toContain('expired');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('keeps no plaintext of a file or its name at rest, exports the files, and erases them with the ticket', async () => {
    const email = 'erase.attachments@example.de';
    const ticketId = await open(email);
    const uploaded = await upload(Buffer.from(secretText), 'text/plain', secretName);
    expect(uploaded.status).toBe(201);
    const added = await reply(ticketId, [uploaded.body.token]);
    const { id } = added.body.attachments[0];
    const { deps } = rt.endpoints[0]!;
    const atRest = `${await scanAllTables(deps)}${(await folderBytes(rt.dataDir)).toString('latin1')}`;
    expect(atRest).not.toContain('INVOICE-PLAINTEXT');
    expect(atRest).not.toContain('schmidt-ZX81');

    const fulfilled = (filedId: string) =>
      eventually(
        () => call(rt.url, 'GET', `/v1/dsar/${filedId}`, { token: dpo }),
        (got) => got.body.status === 'fulfilled',
        10_000,
      );
    const access = await call(rt.url, 'POST', '/v1/dsar', { token: dpo, body: { type: 'export', law: 'gdpr', subject: { email } } });
    await fulfilled(access.body.id);
    const bundle = await call(rt.url, 'GET', `/v1/dsar/${access.body.id}/export`, { token: dpo });
    const [ticket] = bundle.body.tickets;
    expect(ticket.files).toEqual([
      {
        id,
        contentType: 'text/plain',
        size: secretText.length,
        sha256: sha256(Buffer.from(secretText)),
        base64: Buffer.from(secretText).toString('base64'),
      },
    ]);
    expect(ticket.messages.at(-1).attachments[0].filename).toBe(secretName);

    const erasure = await call(rt.url, 'POST', '/v1/dsar', { token: dpo, body: { type: 'erasure', law: 'gdpr', subject: { email } } });
    await fulfilled(erasure.body.id);
    const gone = await download(id);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { type: string }).type).toBe('urn:meridian:problem:gone');
    const messages = await call(rt.url, 'GET', `/v1/tickets/${ticketId}/messages`, { token: agent });
    expect(messages.body.items.at(-1).attachments[0]).toMatchObject({ id, filename: null });
    const files = await readdir(join(rt.dataDir, deps.config.region, 'attachments', 'files', 'acme')).catch(() => []);
    expect(files).not.toContain(id);
  });
});
