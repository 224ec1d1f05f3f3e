import { describe, expect, it } from 'vitest';
import { withoutReadyForQuery } from '../../../server/src/db/embedded';

/** One wire-protocol backend message: type letter, int32 length (itself included), body. */
function message(type: string, body: number[] = []): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type.charCodeAt(0);
  new DataView(out.buffer).setInt32(1, 4 + body.length);
  out.set(body, 5);
  return out;
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
const ERROR = message('E', [0x53, 0x45, 0x52, 0x52, 0, 0]);
const READY = message('Z', [0x45]);
const COMPLETE = message('C', [...Buffer.from('UPDATE 1\0')]);

function run(chunks: Uint8Array[]): Uint8Array {
  const seen: Uint8Array[] = [];
  const filter = withoutReadyForQuery((d) => seen.push(new Uint8Array(d)));
  for (const c of chunks) filter(c);
  return concat(...seen);
}

describe('withoutReadyForQuery (embedded database wire fix)', () => {
  it('drops the ReadyForQuery PGlite sends after an error in a non-Sync message', () => {
    expect(run([concat(ERROR, READY)])).toEqual(ERROR);
  });

  it('keeps every other message, in order', () => {
    expect(run([concat(message('1'), message('2'), COMPLETE, READY, COMPLETE)])).toEqual(
      concat(message('1'), message('2'), COMPLETE, COMPLETE),
    );
  });

  it('works whatever the chunk boundaries: byte by byte, inside a header, inside a body', () => {
    const stream = concat(message('1'), ERROR, READY, COMPLETE);
    const expected = concat(message('1'), ERROR, COMPLETE);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(run([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
    expect(run([...stream].map((b) => new Uint8Array([b])))).toEqual(expected);
  });
});
