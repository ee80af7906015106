// The server side of RFC 6455, as little as the exec endpoint needs: the handshake, unmasked
// binary and close frames out, and reading the client's masked frames for close and ping.
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key`. */
export const acceptKey = (key: string): string =>
  createHash('sha1')
    .update(key + GUID)
    .digest('base64');

/** One frame from the server (never masked), FIN set. */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

interface Frame {
  opcode: number;
  payload: Buffer;
}

/** Splits complete frames off the front of `buf`; returns them and the incomplete rest. */
export function decodeFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  for (;;) {
    if (buf.length - at < 2) break;
    const b0 = buf[at] ?? 0;
    const b1 = buf[at + 1] ?? 0;
    const masked = (b1 & 0x80) !== 0;
    let len = b1 & 0x7f;
    let head = 2;
    if (len === 126) {
      if (buf.length - at < 4) break;
      len = buf.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      if (buf.length - at < 10) break;
      len = Number(buf.readBigUInt64BE(at + 2));
      head = 10;
    }
    const maskLen = masked ? 4 : 0;
    if (buf.length - at < head + maskLen + len) break;
    const mask = buf.subarray(at + head, at + head + maskLen);
    const payload = Buffer.from(buf.subarray(at + head + maskLen, at + head + maskLen + len));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    frames.push({ opcode: b0 & 0x0f, payload });
    at += head + maskLen + len;
  }
  return { frames, rest: buf.subarray(at) };
}

/** A server-side connection after a successful handshake. */
export class ServerWebSocket {
  private pending: Buffer = Buffer.alloc(0);
  private closed = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.closed = true;
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  sendBinary(payload: Buffer): void {
    if (this.isOpen) this.socket.write(encodeFrame(OP_BINARY, payload));
  }

  /** Sends a close frame (1000, normal) and ends the connection. */
  close(code = 1000): void {
    if (!this.isOpen) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code, 0);
    this.closed = true;
    this.socket.end(encodeFrame(OP_CLOSE, body));
  }

  private receive(chunk: Buffer): void {
    const { frames, rest } = decodeFrames(Buffer.concat([this.pending, chunk]));
    this.pending = rest;
    for (const f of frames) {
      if (f.opcode === OP_CLOSE) this.close();
      else if (f.opcode === OP_PING && this.isOpen) this.socket.write(encodeFrame(OP_PONG, f.payload));
      // Data from the client (stdin, resize) is not used by the double.
    }
  }
}
