import { type AppConfig } from '../../config/app-config';
import { TOKEN_LEEWAY_SECONDS, TokenService } from './token.service';

describe('TokenService', () => {
  const config = {
    secretKey: 'a-test-secret-of-enough-length-0123456789',
    tokenTtlMinutes: 10,
  } as AppConfig;
  afterEach(() => jest.restoreAllMocks());

  it('accepts a token it issued, again and again, and refuses it once it expired (also when remembered)', () => {
    const tokens = new TokenService(config);
    const token = tokens.issue({ id: 'usr1', token_version: 3 });
    expect(tokens.verify(token)).toEqual({ sub: 'usr1', ver: 3 });
    expect(tokens.verify(token)).toEqual({ sub: 'usr1', ver: 3 });
    const later = Date.now() + (10 * 60 + TOKEN_LEEWAY_SECONDS + 1) * 1000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    expect(tokens.verify(token)).toBeNull();
    expect(new TokenService(config).verify(token)).toBeNull();
  });

  it('refuses a remembered token changed in one byte, and a token of another key', () => {
    const tokens = new TokenService(config);
    const token = tokens.issue({ id: 'usr1', token_version: 0 });
    expect(tokens.verify(token)).not.toBeNull();
    const i = token.length - 10; // inside the signature
    expect(
      tokens.verify(token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1)),
    ).toBeNull();
    const other = new TokenService({
      ...config,
      secretKey: 'another-secret-of-enough-length-9876543210',
    });
    expect(other.verify(token)).toBeNull();
  });
});
