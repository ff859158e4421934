import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';

/** An answer before it is written: the router and the fuzz test both deal in these. */
export interface JsonAnswer {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Writes the body itself, for answers too big to hold (exports): the status and headers go
   * first, without a length; a throw after that cuts the connection, so a client never takes a
   * truncated body for a whole one.
   */
  stream?: (out: Writable) => Promise<void>;
}

/** A client error with a Kubernetes-style reason; turned into a Status object, never a 5xx. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The body of every error answer: the shape API clients already know how to read. */
export function statusBody(code: number, reason: string, message: string): unknown {
  return { apiVersion: 'v1', kind: 'Status', status: 'Failure', code, reason, message };
}

export function errorAnswer(err: HttpError): JsonAnswer {
  return {
    status: err.status,
    body: statusBody(err.status, err.reason, err.message),
    headers: err.headers,
  };
}

/**
 * Reads the whole body, but never keeps more than `max` bytes: a declared Content-Length over the
 * cap is refused before keeping anything, a chunked body as soon as it crosses the cap.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > max) {
    return refuse(req, max, 0, Number(declared)).then((err) => Promise.reject(err));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        cleanup();
        chunks.length = 0;
        void refuse(req, max, size, undefined).then(reject);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onAborted = () => {
      cleanup();
      reject(new Error('client aborted the request'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * The 413 for a body over the cap, given once the client has finished sending. The rest of the
 * body is read and thrown away (never kept), up to another `max` bytes: closing a socket that
 * still has unread bytes makes TCP reset it, and the client would lose the 413. A body beyond
 * even that is answered at once and the connection closed.
 */
function refuse(
  req: IncomingMessage,
  max: number,
  received: number,
  declared: number | undefined,
): Promise<HttpError> {
  const message = `request body is larger than ${max} bytes`;
  const cutOff = new HttpError(413, 'RequestEntityTooLarge', message, { connection: 'close' });
  const limit = 2 * max;
  if (declared !== undefined && declared > limit) return Promise.resolve(cutOff);
  return new Promise((resolve) => {
    let seen = received;
    const finish = (err: HttpError) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onEnd);
      req.off('close', onEnd);
      resolve(err);
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) finish(cutOff);
    };
    const onEnd = () => finish(new HttpError(413, 'RequestEntityTooLarge', message));
    req.on('error', () => {}); // a client that gives up while we discard is not our error
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onEnd);
    req.on('close', onEnd);
    req.resume();
  });
}

export function writeAnswer(res: ServerResponse, answer: JsonAnswer): void {
  if (answer.stream) {
    res.writeHead(answer.status, {
      'content-type': answer.contentType ?? 'application/json',
      ...answer.headers,
    });
    answer.stream(res).then(
      () => res.end(),
      (err: unknown) => res.destroy(err instanceof Error ? err : new Error(String(err))),
    );
    return;
  }
  const text =
    (typeof answer.body === 'string' || Buffer.isBuffer(answer.body)) && answer.contentType
      ? answer.body
      : JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    'content-type': answer.contentType ?? 'application/json',
    'content-length': Buffer.byteLength(text),
    ...answer.headers,
  };
  res.writeHead(answer.status, headers);
  res.end(text);
}

/**
 * Writes a chunk, waiting while the client's buffer is full so memory stays flat whatever the
 * size of the answer; rejects when the client has gone away.
 */
export function writeChunk(out: Writable, chunk: string): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.reject(new Error('client went away'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('client went away'));
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}
