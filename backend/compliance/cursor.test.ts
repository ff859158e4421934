import { httpErrorOf } from './testing/http-error';
import { CursorCodec, fingerprint } from './cursor';
import { parseFilters } from './query';

const filters = parseFilters(new URLSearchParams('namespace=team-a&verdict=Privileged'));
const last = { createdMs: 1_700_000_000_000, namespace: 'team-a', name: 'web-7' };

test('a token round-trips to the key it was made from', () => {
  const codec = new CursorCodec();
  const fp = fingerprint(filters, '-created', 'developer');
  expect(codec.decode(codec.encode(last, '-created', fp), '-created', fp)).toEqual(last);
});

test('the fingerprint ignores parameter order but not values or the caller', () => {
  const same = parseFilters(new URLSearchParams('verdict=Privileged&namespace=team-a'));
  expect(fingerprint(same, 'name', 'u')).toBe(fingerprint(filters, 'name', 'u'));
  expect(fingerprint(filters, 'name', 'v')).not.toBe(fingerprint(filters, 'name', 'u'));
  expect(fingerprint(filters, '-name', 'u')).not.toBe(fingerprint(filters, 'name', 'u'));
});

test('a forged, altered or foreign token is a 400 naming continue', () => {
  const codec = new CursorCodec({ key: Buffer.from('k1') });
  const fp = fingerprint(filters, '-created', 'u');
  const token = codec.encode(last, '-created', fp);
  const [body, mac] = token.split('.');
  const payload = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
  payload.k[1] = 'someone-else';
  const altered = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${mac}`;
  const foreign = new CursorCodec({ key: Buffer.from('k2') }).encode(last, '-created', fp);
  for (const bad of ['x', 'a.b.c', `${body}.`, altered, foreign]) {
    const e = httpErrorOf(() => codec.decode(bad, '-created', fp));
    expect(e.status).toBe(400);
    expect(e.message).toContain('"continue"');
  }
  const other = httpErrorOf(() => codec.decode(token, 'name', fp));
  expect([other.status, other.message]).toEqual([400, expect.stringContaining('different query')]);
});

test('a token older than its lifetime is a 410 Expired', () => {
  let now = 1_000_000;
  const codec = new CursorCodec({ ttlMs: 60_000, now: () => now });
  const fp = fingerprint(filters, '-created', 'u');
  const token = codec.encode(last, '-created', fp);
  now += 60_000;
  expect(codec.decode(token, '-created', fp)).toEqual(last);
  now += 1;
  const e = httpErrorOf(() => codec.decode(token, '-created', fp));
  expect([e.status, e.reason]).toEqual([410, 'Expired']);
});
