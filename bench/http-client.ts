/**
 * @module
 * The benchmark's HTTP client: plain HTTP/1.1 over kept-alive loopback sockets, one request in flight per socket.
 * It shares the two cores with the server it measures, so it does as little as a client can: the request line
 * and headers are a short string, the body is written as it is (no copy), and of the answer only the status and
 * `content-length` are read, the body counted and dropped. `node:http` cost about 0.7 CPU ms per 150 KB image
 * request (and `fetch` 2–3), CPU the server rows lost to their own load generator and raw onnxruntime never
 * pays; clients of a real server run elsewhere.
 */
import { connect, type Socket } from 'node:net';

export interface Poster {
  /** POSTs `body` to `path`; resolves with the status once the whole response has been read. */
  post(path: string, body: Uint8Array, headers: Record<string, string>): Promise<number>;
  /** Closes the connections. */
  close(): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');

class NotAnswered extends Error {}

/** One kept-alive socket answering one request at a time. */
class Connection {
  private readonly socket: Socket;
  private pending: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined;
  private head: Buffer = Buffer.alloc(0);
  private status = 0;
  /** Body bytes still to come; -1 while the head is being read. */
  private remaining = -1;
  dead = false;

  constructor(host: string, port: number) {
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error) => {
      this.dead = true;
      // Nothing of the answer came: the server closed a kept-alive socket as the request left (its idle
      // timeout), so it never saw the request, which can go again on a new socket.
      const unanswered = this.remaining < 0 && this.head.length === 0;
      this.pending?.reject(unanswered ? new NotAnswered(error.message) : error);
      this.pending = undefined;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('the server closed the connection')));
  }

  send(head: string, body: Uint8Array): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.cork();
      this.socket.write(head);
      this.socket.write(body);
      this.socket.uncork();
    });
  }

  private receive(chunk: Buffer): void {
    if (this.remaining < 0) {
      this.head = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf(HEAD_END);
      if (end < 0) return;
      const text = this.head.subarray(0, end).toString('latin1');
      this.status = Number(text.slice(9, 12));
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text)?.[1];
      if (length === undefined) {
        this.socket.destroy(new Error(`an answer without content-length (status ${this.status})`));
        return;
      }
      this.remaining = Number(length) - (this.head.length - end - HEAD_END.length);
      this.head = Buffer.alloc(0);
    } else {
      this.remaining -= chunk.length;
    }
    if (this.remaining > 0) return;
    this.remaining = -1;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(this.status);
  }

  close(): void {
    this.dead = true;
    this.socket.destroy();
  }
}

export function poster(baseUrl: string, connections: number): Poster {
  const { hostname, port } = new URL(baseUrl);
  const host = hostname.replace(/^\[|\]$/g, '');
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const take = () => {
    for (let connection = idle.pop(); connection; connection = idle.pop()) {
      if (!connection.dead) return connection;
      all.delete(connection);
    }
    if (all.size >= connections) throw new Error(`more than ${connections} requests at once`);
    const fresh = new Connection(host, Number(port));
    all.add(fresh);
    return fresh;
  };
  const post = async (path: string, body: Uint8Array, headers: Record<string, string>) => {
    const lines = Object.entries({ ...headers, 'content-length': String(body.byteLength) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    const head = `POST ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${lines}\r\n`;
    const once = async () => {
      const connection = take();
      try {
        return await connection.send(head, body);
      } finally {
        if (connection.dead) all.delete(connection);
        else idle.push(connection);
      }
    };
    try {
      return await once();
    } catch (error) {
      if (error instanceof NotAnswered) return once();
      throw error;
    }
  };
  return {
    post,
    close: () => {
      for (const connection of all) connection.close();
      all.clear();
    },
  };
}
