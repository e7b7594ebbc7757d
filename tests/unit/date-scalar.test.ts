import { Kind } from 'graphql';
import { DateScalar } from '../../resolvers/types/stats.types';

describe('the Date scalar', () => {
  it('serializes day strings and Dates as YYYY-MM-DD', () => {
    expect(DateScalar.serialize('2023-08-12')).toBe('2023-08-12');
    expect(DateScalar.serialize(new Date('2023-08-12T23:00:00Z'))).toBe('2023-08-12');
  });

  it('refuses to serialize anything else', () => {
    expect(() => DateScalar.serialize('2023-08-12T00:00:00Z')).toThrow(/YYYY-MM-DD/);
    expect(() => DateScalar.serialize(20230812)).toThrow(/YYYY-MM-DD/);
  });

  it('parses variables and literals strictly', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    expect(() => DateScalar.parseValue('2023-02-29')).toThrow(/YYYY-MM-DD/);
    expect(() => DateScalar.parseValue(1)).toThrow(/YYYY-MM-DD/);
    expect(DateScalar.parseLiteral({ kind: Kind.STRING, value: '2024-01-01' })).toBe('2024-01-01');
    expect(() => DateScalar.parseLiteral({ kind: Kind.STRING, value: '2024-1-1' })).toThrow(
      /YYYY-MM-DD/,
    );
    expect(() => DateScalar.parseLiteral({ kind: Kind.INT, value: '20240101' })).toThrow(
      /YYYY-MM-DD/,
    );
  });
});
