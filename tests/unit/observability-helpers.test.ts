import { isPlainRead } from '../../src/db/database';
import { flushLagSeconds, MAX_OPERATION_LABELS, OperationLabels } from '../../src/metrics';
import { acceptRequestId } from '../../src/request-scope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('acceptRequestId', () => {
  it('keeps a well-formed incoming id', () => {
    expect(acceptRequestId('abc-123')).toBe('abc-123');
    expect(acceptRequestId('1-5759e988.bd862e3f_E')).toBe('1-5759e988.bd862e3f_E');
    expect(acceptRequestId('x'.repeat(64))).toBe('x'.repeat(64));
    expect(acceptRequestId(['first-id', 'second-id'])).toBe('first-id');
  });

  it('replaces a missing or malformed one with a new UUID', () => {
    for (const bad of [
      undefined,
      '',
      ' ',
      'x'.repeat(65),
      'a b',
      'a/b',
      'line\nbreak',
      '<script>',
      'ü',
    ]) {
      expect(acceptRequestId(bad)).toMatch(UUID);
    }
    expect(acceptRequestId('a b')).not.toBe(acceptRequestId('a b'));
  });
});

describe('OperationLabels', () => {
  it('labels unnamed operations "anonymous" and keeps names', () => {
    const labels = new OperationLabels();
    expect(labels.label(null)).toBe('anonymous');
    expect(labels.label(undefined)).toBe('anonymous');
    expect(labels.label('EventDetail')).toBe('EventDetail');
  });

  it('caps distinct names, then counts new ones as "other"; known names keep their label', () => {
    const labels = new OperationLabels(3);
    expect(['A', 'B', 'C', 'D', 'E'].map((name) => labels.label(name))).toEqual([
      'A',
      'B',
      'C',
      'other',
      'other',
    ]);
    expect(labels.label('B')).toBe('B');
    expect(MAX_OPERATION_LABELS).toBe(200);
  });

  it('never lets a name that is not a GraphQL name through', () => {
    const labels = new OperationLabels();
    expect(labels.label('bad"name')).toBe('other');
    expect(labels.label('x'.repeat(101))).toBe('other');
  });
});

describe('flushLagSeconds', () => {
  const stats = { rounds: 1, viewsApplied: 0, failures: 0 };
  it('counts from the last completed round, or from start-up before the first', () => {
    expect(flushLagSeconds({ ...stats, lastSuccessAt: 10_000 }, 12_500, 0)).toBe(2.5);
    expect(flushLagSeconds({ ...stats, lastSuccessAt: null }, 12_000, 9_000)).toBe(3);
    expect(flushLagSeconds({ ...stats, lastSuccessAt: 13_000 }, 12_000, 0)).toBe(0);
  });
});

describe('isPlainRead', () => {
  it('lets SELECTs without row locks go to a replica', () => {
    expect(isPlainRead('SELECT 1')).toBe(true);
    expect(isPlainRead('\n   select e.id FROM events e WHERE e.slug IN ($1)')).toBe(true);
  });

  it('keeps writes and locking reads on the primary', () => {
    for (const sql of [
      'UPDATE talks SET view_count = view_count + 1',
      'INSERT INTO likes (viewer_id) VALUES ($1) RETURNING id',
      'DELETE FROM likes WHERE id = 1',
      'WITH moved AS (DELETE FROM x RETURNING *) SELECT * FROM moved',
      'SELECT id FROM talks WHERE id = 1 FOR UPDATE',
      'SELECT id FROM talks FOR NO KEY UPDATE',
      'SELECT id FROM talks FOR SHARE',
      'SELECTED',
    ]) {
      expect(isPlainRead(sql)).toBe(false);
    }
  });
});
