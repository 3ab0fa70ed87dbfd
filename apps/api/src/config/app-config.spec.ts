import { ConfigError, loadConfig } from './app-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, '/srv/crm');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('loadConfig: accounts and security settings', () => {
  it('has safe defaults', () => {
    const c = loadConfig({}, '/srv/crm');
    expect(c).toMatchObject({
      env: 'development',
      trustProxy: false,
      corsOrigins: [],
      secretKey: null,
      secretKeySource: null,
      adminEmail: null,
      adminPassword: null,
      adminName: 'Admin',
      tokenTtlMinutes: 720,
      inviteTtlDays: 7,
      rateLimits: { loginPerAccount: 5, loginPerIp: 30, tokenPerIp: 10, writesPerMinute: 1500 },
    });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['off', false],
    ['true', 1],
    ['yes', 1],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['loopback, 10.0.0.0/8, fd00::/8', ['loopback', '10.0.0.0/8', 'fd00::/8']],
  ])('reads CRM_TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ CRM_TRUST_PROXY: raw as string }, '/srv/crm').trustProxy).toEqual(expected);
  });

  it.each(['everyone', '10.0.0.0/33', '300.1.1.1', '11'])('refuses CRM_TRUST_PROXY=%j', (raw) => {
    expect(problemsOf({ CRM_TRUST_PROXY: raw })).toHaveLength(1);
  });

  it('lower-cases the bootstrap address and wants both bootstrap settings or neither', () => {
    expect(
      loadConfig(
        { CRM_ADMIN_EMAIL: 'Root@Fund.Example', CRM_ADMIN_PASSWORD: 'Granite-Orchard-Signal-5' },
        '/',
      ).adminEmail,
    ).toBe('root@fund.example');
    expect(problemsOf({ CRM_ADMIN_EMAIL: 'root@fund.example' })).toEqual([
      'CRM_ADMIN_EMAIL and CRM_ADMIN_PASSWORD go together: set both or neither',
    ]);
    expect(
      problemsOf({ CRM_ADMIN_EMAIL: 'root', CRM_ADMIN_PASSWORD: 'Granite-Orchard-Signal-5' }),
    ).toEqual(['CRM_ADMIN_EMAIL must be an email address']);
  });

  it('refuses a weak bootstrap password in every environment, without repeating it', () => {
    for (const env of ['development', 'test', 'production']) {
      const problems = problemsOf({
        CRM_ENV: env,
        CRM_SECRET_KEY: 'x1y2z3'.repeat(3) + 'abcdefghijklmnop',
        CRM_ADMIN_EMAIL: 'root@fund.example',
        CRM_ADMIN_PASSWORD: 'letmein12345',
      });
      expect(problems).toEqual([
        'CRM_ADMIN_PASSWORD is refused: this password is one of the most common passwords; choose another',
      ]);
    }
  });

  it('wants a secret of 32 bytes in production and refuses placeholders and repeated patterns', () => {
    expect(problemsOf({ CRM_ENV: 'production' })).toEqual([
      'CRM_SECRET_KEY is required in production (at least 32 bytes of random text, e.g. `openssl rand -base64 48`)',
    ]);
    expect(
      problemsOf({ CRM_ENV: 'production', CRM_SECRET_KEY: 'secret-secret-secret-secret-secret' }),
    ).toEqual([
      'CRM_SECRET_KEY is a well-known default or a repeated pattern; generate a random one',
    ]);
    expect(problemsOf({ CRM_ENV: 'production', CRM_SECRET_KEY: 'ab'.repeat(20) })).toEqual([
      'CRM_SECRET_KEY is a well-known default or a repeated pattern; generate a random one',
    ]);
    expect(
      problemsOf({
        CRM_ENV: 'production',
        CRM_SECRET_KEY: 'V5xQ8mT2kR7wN1zJ4pL9sD3fG6hB0cY2uE8aK',
      }),
    ).toEqual([]);
    // Outside production a short key is still a mistake worth stopping for.
    expect(problemsOf({ CRM_SECRET_KEY: 'short' })).toEqual([
      'CRM_SECRET_KEY must be at least 32 bytes long (or unset it outside production to use a generated one)',
    ]);
  });

  it('refuses a wildcard in CRM_CORS_ORIGIN in every environment, saying origins are matched exactly', () => {
    for (const env of ['development', 'production']) {
      const problems = problemsOf({
        CRM_ENV: env,
        CRM_SECRET_KEY: 'V5xQ8mT2kR7wN1zJ4pL9sD3fG6hB0cY2uE8aK',
        CRM_CORS_ORIGIN: 'https://crm.example.com, https://*.example.com',
      });
      expect(problems).toEqual([
        'CRM_CORS_ORIGIN entry "https://*.example.com" has a wildcard; origins are matched exactly, so list each one (e.g. https://crm.example.com)',
      ]);
    }
    expect(problemsOf({ CRM_CORS_ORIGIN: 'https://crm*.example.com' })).toHaveLength(1);
    expect(
      loadConfig({ CRM_CORS_ORIGIN: 'https://crm.example.com,http://localhost:5173' }, '/srv/crm')
        .corsOrigins,
    ).toEqual(['https://crm.example.com', 'http://localhost:5173']);
  });

  it('bounds token and invite lifetimes and rate limits', () => {
    expect(
      problemsOf({
        CRM_TOKEN_TTL_MINUTES: '1',
        CRM_INVITE_TTL_DAYS: '90',
        CRM_RATE_LIMIT_WRITES_PER_MINUTE: '10',
      }),
    ).toEqual([
      'CRM_TOKEN_TTL_MINUTES must be a whole number from 5 to 43200 (got "1")',
      'CRM_INVITE_TTL_DAYS must be a whole number from 1 to 30 (got "90")',
      'CRM_RATE_LIMIT_WRITES_PER_MINUTE must be a whole number from 60 to 1000000 (got "10")',
    ]);
  });

  it('reads CRM_LOG_LEVEL (info by default, any case) and names a level it does not know', () => {
    expect(loadConfig({}, '/srv/crm').logLevel).toBe('info');
    expect(loadConfig({ CRM_LOG_LEVEL: 'DEBUG' }, '/srv/crm').logLevel).toBe('debug');
    expect(loadConfig({ CRM_LOG_LEVEL: 'silent' }, '/srv/crm').logLevel).toBe('silent');
    expect(problemsOf({ CRM_LOG_LEVEL: 'verbose' })).toEqual([
      'CRM_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")',
    ]);
  });
});
