import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readBody } from '../../src/http';

const request = () => new PassThrough() as PassThrough & IncomingMessage;

describe('readBody', () => {
  it('gathers every chunk until the end', async () => {
    const req = request();
    const body = readBody(req);
    req.write('{"query":');
    req.end('"{ __typename }"}');
    const { chunks, size } = await body;
    expect(Buffer.concat(chunks).toString()).toBe('{"query":"{ __typename }"}');
    expect(size).toBe(26);
    expect(req.listenerCount('data') + req.listenerCount('close')).toBe(0);
  });

  it('fails when the client goes away before the end', async () => {
    const req = request();
    const body = readBody(req);
    req.write('{"qu');
    req.destroy();
    await expect(body).rejects.toThrow('Request body was cut off');
  });

  it('fails when the stream errors', async () => {
    const req = request();
    const body = readBody(req);
    req.destroy(new Error('aborted'));
    await expect(body).rejects.toThrow('Request body was cut off');
  });

  it('keeps reading past 1 MB, counting the bytes it drops', async () => {
    const req = request();
    const body = readBody(req);
    const mb = Buffer.alloc(1024 * 1024, 'a');
    req.write(mb);
    req.end(Buffer.alloc(10, 'b'));
    const { chunks, size } = await body;
    expect(size).toBe(mb.length + 10);
    expect(Buffer.concat(chunks).length).toBe(mb.length);
  });
});
