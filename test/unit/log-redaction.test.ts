import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'trace', destination }) };
}

describe('logger redaction', () => {
  it('never prints planted secrets or message content, at any level', () => {
    const { lines, logger } = capture();
    const secret = 'S3cr3t-Planted-Value-8c1f';
    const text = 'my card is 4539 1488 0343 6467';
    logger.trace(
      { clientState: secret, encryptedContent: { data: secret, dataKey: secret } },
      'notification',
    );
    logger.info({ chatMessage: { body: { content: text }, subject: text } }, 'message');
    logger.warn({ headers: { authorization: `Bearer ${secret}` }, connectionString: secret }, 'http');
    logger.error({ finding: { value: text, type: 'credit_card' } }, 'finding');
    const output = lines.join('');
    expect(lines).toHaveLength(4);
    expect(output).not.toContain(secret);
    expect(output).not.toContain('4539');
    expect(output).toContain('[Redacted]');
    expect(output).toContain('credit_card');
  });
});
