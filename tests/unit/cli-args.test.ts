import { CliArgsError, parseSeedArgs, parseTokenArgs } from '../../src/lib/cli-args';

describe('parseSeedArgs', () => {
  it('seeds only the real event without flags', () => {
    expect(parseSeedArgs([])).toEqual({ help: false, synthetic: null });
  });

  it.each([
    [['--synthetic', '--events', '2000'], { events: 2000, seed: undefined }],
    [['--synthetic', '--events=50', '--seed', '7'], { events: 50, seed: 7 }],
    [['--seed=0', '--events', '1', '--synthetic'], { events: 1, seed: 0 }],
  ])('reads %j', (argv, synthetic) => {
    expect(parseSeedArgs(argv)).toEqual({ help: false, synthetic });
  });

  it('answers --help', () => {
    expect(parseSeedArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--events', '5'], '--events and --seed only apply with --synthetic'],
    [['--synthetic'], '--synthetic needs --events N'],
    [['--synthetic', '--events'], '--events needs a value'],
    [['--synthetic', '--events', '0'], '--events: expected an integer from 1 to 1000000, got "0"'],
    [['--synthetic', '--events', '-5'], 'got "-5"'],
    [['--synthetic', '--events', '2.5'], 'got "2.5"'],
    [['--synthetic', '--events', '1e3'], 'got "1e3"'],
    [['--synthetic', '--events', 'ten'], 'got "ten"'],
    [['--synthetic', '--events', '2000000'], 'got "2000000"'],
    [['--synthetic', '--events', '5', '--seed', 'x'], '--seed: expected an integer'],
    [['--synthetic', '--events', '5', '--events', '6'], '--events given more than once'],
    [['--synthetic=yes', '--events', '5'], '--synthetic takes no value'],
    [['--synthetc', '--events', '5'], 'unknown flag --synthetc'],
    [['-n', '5'], 'unexpected argument "-n"'],
    [['events'], 'unexpected argument "events"'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(CliArgsError);
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});

describe('parseTokenArgs', () => {
  it('reads sub and role, expiring in 30 days by default', () => {
    expect(parseTokenArgs(['--sub', 'alice', '--role', 'admin'])).toEqual({
      help: false,
      sub: 'alice',
      role: 'admin',
      expires: '30d',
    });
  });

  it('takes --expires and = forms', () => {
    expect(parseTokenArgs(['--role=viewer', '--sub=bob', '--expires', '12h'])).toEqual({
      help: false,
      sub: 'bob',
      role: 'viewer',
      expires: '12h',
    });
  });

  it.each([
    [['--role', 'admin'], '--sub is required'],
    [['--sub', 'alice'], '--role is required'],
    [['--sub', '--role', 'admin'], '--sub needs a value'],
    [['--sub', '  ', '--role', 'admin'], '--sub: expected 1 to 200 characters'],
    [['--sub', 'x'.repeat(201), '--role', 'admin'], '--sub: expected 1 to 200 characters'],
    [['--sub', 'alice', '--role', 'root'], '--role: expected admin or viewer, got "root"'],
    [['--sub', 'alice', '--role', 'admin', '--expires', 'soon'], '--expires: expected a duration'],
    [['--sub', 'alice', '--role', 'admin', '--expires', '0d'], 'got "0d"'],
    [['--sub', 'alice', '--role', 'admin', '--exp', '1d'], 'unknown flag --exp'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseTokenArgs(argv)).toThrow(CliArgsError);
    expect(() => parseTokenArgs(argv)).toThrow(message);
  });
});
