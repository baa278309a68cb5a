import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteRing } from '../../core/src/store/byteRing.ts';

type Stream = 'stdout' | 'stderr';
const isContinuation = (byte: number | undefined): boolean => byte !== undefined && (byte & 0xc0) === 0x80;

// Writes mixing ASCII, 2-, 3- and 4-byte characters, so that cuts land inside characters.
const write = fc.record({
  stream: fc.constantFrom<Stream>('stdout', 'stderr'),
  text: fc.array(fc.constantFrom('a', 'b', '\n', 'é', '€', '😀'), { minLength: 0, maxLength: 40 }).map((parts) => parts.join('')),
});

test('the ring holds exactly the last bytes written, by stream, cut only at character boundaries', () => {
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 64 }), fc.array(write, { maxLength: 30 }), fc.integer({ min: 4, max: 32 }), (capacity, writes, maxPiece) => {
      const ring = new ByteRing(capacity);
      // The reference: every byte ever written, with the stream it came from.
      const all: { byte: number; stream: Stream }[] = [];
      let dropped = 0;
      for (const w of writes) {
        const bytes = Buffer.from(w.text);
        for (const byte of bytes) all.push({ byte, stream: w.stream });
        dropped += ring.append(w.stream, 0, w.text, bytes.length);
      }
      const kept = all.slice(Math.max(0, all.length - capacity));
      assert.equal(ring.size, kept.length);
      assert.equal(dropped + ring.size, all.length);

      const { pieces, skipped } = ring.pieces(maxPiece);
      // A character whose first bytes fell out is skipped whole; nothing else is lost.
      let lead = 0;
      while (lead < kept.length && isContinuation(kept[lead]?.byte)) lead++;
      assert.equal(skipped, lead);
      const expected = kept.slice(lead);
      assert.equal(pieces.reduce((n, p) => n + p.bytes, 0), expected.length);
      assert.equal(pieces.map((p) => p.text).join(''), Buffer.from(expected.map((e) => e.byte)).toString('utf8'));
      let at = 0;
      for (const piece of pieces) {
        assert.ok(piece.bytes <= Math.max(maxPiece, 4), `piece of ${piece.bytes} bytes`);
        assert.ok(!piece.text.includes('\ufffd'), 'no piece splits a character');
        assert.equal(Buffer.byteLength(piece.text), piece.bytes);
        for (let i = 0; i < piece.bytes; i++) assert.equal(expected[at + i]?.stream, piece.stream);
        at += piece.bytes;
      }
      ring.clear();
      assert.equal(ring.size, 0);
      assert.deepEqual(ring.pieces(maxPiece).pieces, []);
    }),
    { numRuns: 500 },
  );
});
