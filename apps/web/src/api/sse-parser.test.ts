import { describe, it, expect } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser.js';

describe('createSseParser', () => {
  it('parses named events split across chunks, skipping comments', () => {
    const got: SseMessage[] = [];
    const feed = createSseParser((m) => got.push(m));
    feed(': keep-alive\n\nevent: services\ndata: {"namespace":"default",');
    feed('"name":"web"}\n\nevent: status\r\ndata: {}\r\n\r\n');
    feed('data: a\ndata: b\n\n');
    expect(got).toEqual([
      { event: 'services', data: '{"namespace":"default","name":"web"}' },
      { event: 'status', data: '{}' },
      { event: 'message', data: 'a\nb' },
    ]);
  });
});
