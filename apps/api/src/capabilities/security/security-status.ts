import { Inject, Injectable } from '@nestjs/common';
import { isActiveAdmin } from '@crm/domain';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CheckContext, SecurityCheck, SecurityCheckRegistry } from './security-checks';
import { UsersRepository } from '../users';

const isLocalOrigin = (origin: string) =>
  /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(origin);

/**
 * `GET /api/security/status`: one entry per item of SECURITY.md's go-live checklist, in its order.
 * Nothing here reveals a secret; messages say what to change.
 */
@Injectable()
export class SecurityStatus {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly registry: SecurityCheckRegistry,
  ) {}

  checks(ctx: CheckContext): SecurityCheck[] {
    return [
      this.secret(),
      this.environment(),
      this.cors(),
      this.https(ctx),
      this.admins(),
      this.invites(ctx),
      this.bootstrapPassword(),
      this.rateLimiting(),
      this.backups(ctx),
    ];
  }

  private secret(): SecurityCheck {
    const c = this.config;
    if (c.secretKeySource === 'environment')
      return {
        id: 'secret_key',
        status: 'pass',
        message: 'CRM_SECRET_KEY is set and at least 32 bytes long',
      };
    return {
      id: 'secret_key',
      status: c.env === 'production' ? 'fail' : 'warn',
      message:
        'the signing key was generated into the data directory; set CRM_SECRET_KEY (at least 32 random bytes) before going live',
    };
  }

  private environment(): SecurityCheck {
    return this.config.env === 'production'
      ? { id: 'environment', status: 'pass', message: 'CRM_ENV is production' }
      : {
          id: 'environment',
          status: 'warn',
          message: `CRM_ENV is ${this.config.env}; set CRM_ENV=production for a live deployment`,
        };
  }

  private cors(): SecurityCheck {
    const origins = this.config.corsOrigins;
    if (origins.length === 0)
      return {
        id: 'cors',
        status: 'pass',
        message: 'same-origin only: no other site may call the API from a browser',
      };
    const plain = origins.filter((o) => o.startsWith('http:') && !isLocalOrigin(o));
    if (plain.length)
      return {
        id: 'cors',
        status: 'warn',
        message: `CRM_CORS_ORIGIN allows origins without TLS: ${plain.join(', ')}`,
      };
    return { id: 'cors', status: 'pass', message: `CORS allows exactly: ${origins.join(', ')}` };
  }

  private https(ctx: CheckContext): SecurityCheck {
    const url = this.config.publicUrl;
    if (url?.startsWith('https:') && (ctx.secure || this.config.trustProxy !== false))
      return { id: 'https', status: 'pass', message: `served over HTTPS at ${url}` };
    if (url?.startsWith('https:'))
      return {
        id: 'https',
        status: 'warn',
        message: `CRM_PUBLIC_URL is HTTPS but this request came over plain HTTP and CRM_TRUST_PROXY is off; put the server behind the TLS proxy and set CRM_TRUST_PROXY`,
      };
    if (ctx.secure)
      return {
        id: 'https',
        status: 'warn',
        message:
          'this request came over HTTPS, but CRM_PUBLIC_URL is not an https:// URL; set it so links and cookies use HTTPS',
      };
    return {
      id: 'https',
      status: this.config.env === 'production' ? 'fail' : 'warn',
      message:
        'not served over HTTPS: put the server behind the TLS proxy (docker/) and set CRM_PUBLIC_URL=https://... and CRM_TRUST_PROXY',
    };
  }

  private admins(): SecurityCheck {
    const admins = this.users.users().filter(isActiveAdmin).length;
    if (admins === 0) return { id: 'admins', status: 'fail', message: 'there is no active admin' };
    if (admins === 1)
      return {
        id: 'admins',
        status: 'warn',
        message:
          '1 active admin; a second one keeps the fund from being locked out if that account is lost',
      };
    return { id: 'admins', status: 'pass', message: `${admins} active admins` };
  }

  private invites(ctx: CheckContext): SecurityCheck {
    const n = this.users.outstandingInvites(ctx.now);
    if (n === 0) return { id: 'invites', status: 'pass', message: 'no invites outstanding' };
    return {
      id: 'invites',
      status: 'warn',
      message: `${n} invite${n === 1 ? '' : 's'} outstanding; revoke the ones nobody will use (each link opens an account)`,
    };
  }

  private bootstrapPassword(): SecurityCheck {
    if (this.config.adminPassword) {
      return {
        id: 'bootstrap_password',
        status: 'warn',
        message:
          'CRM_ADMIN_PASSWORD is still set; the first admin exists, so remove it from the environment',
      };
    }
    return { id: 'bootstrap_password', status: 'pass', message: 'no password in the environment' };
  }

  private rateLimiting(): SecurityCheck {
    const r = this.config.rateLimits;
    return {
      id: 'rate_limiting',
      status: 'pass',
      message: `on: sign-in ${r.loginPerAccount}/min per IP and email and ${r.loginPerIp}/min per IP; invite and setup links ${r.tokenPerIp}/min per IP; writes ${r.writesPerMinute}/min per IP and user`,
    };
  }

  private backups(ctx: CheckContext): SecurityCheck {
    const contributed = this.registry.get('backups');
    if (contributed) return contributed(ctx);
    return {
      id: 'backups',
      status: 'warn',
      message: 'no backup has been taken: backups are not set up yet',
    };
  }
}
