import { type AccountsContext, type InviteState, type UserState } from '@crm/domain';
import type { Statement } from 'better-sqlite3';
import { type Sqlite } from '../../infrastructure/database/database';

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: UserState['role'];
  disabled: number;
  start_page: UserState['start_page'];
  token_version: number;
  version: number;
  created_at: string;
  updated_at: string;
}

const toUser = (r: UserRow): UserState => ({ ...r, disabled: r.disabled === 1 });

/**
 * All SQL over accounts: the `users` and `invites` read models, and the secret stores beside them
 * (`credentials`, `invite_tokens`, `setup_tokens`) that never enter the log.
 */
export class UsersRepository implements AccountsContext {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Sqlite) {
    this.s = {
      user: db.prepare('SELECT * FROM users WHERE id = ?'),
      userByEmail: db.prepare('SELECT * FROM users WHERE email = ?'),
      users: db.prepare('SELECT * FROM users ORDER BY created_at, id'),
      userCount: db.prepare('SELECT COUNT(*) AS n FROM users'),
      // Every person who can write is a user; the system is the only other actor. Reading the users
      // table instead of grouping the whole log keeps this fast at a million events.
      actorNames: db.prepare(`SELECT id, name FROM users UNION ALL SELECT 'system', 'System'`),
      activeAdmins: db.prepare(
        "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0",
      ),
      upsertUser:
        db.prepare(`INSERT INTO users (id, email, name, role, disabled, start_page, token_version, version, created_at, updated_at)
        VALUES (@id, @email, @name, @role, @disabled, @start_page, @token_version, @version, @created_at, @updated_at)
        ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name, role = excluded.role, disabled = excluded.disabled,
          start_page = excluded.start_page, token_version = excluded.token_version, version = excluded.version, updated_at = excluded.updated_at
        WHERE excluded.version > users.version`),
      invite: db.prepare('SELECT * FROM invites WHERE id = ?'),
      invites: db.prepare('SELECT * FROM invites ORDER BY created_at DESC, id'),
      pendingFor: db.prepare(
        "SELECT * FROM invites WHERE email = ? AND state = 'pending' ORDER BY created_at",
      ),
      pendingUnexpired: db.prepare(
        "SELECT COUNT(*) AS n FROM invites WHERE state = 'pending' AND expires_at > ?",
      ),
      upsertInvite:
        db.prepare(`INSERT INTO invites (id, email, role, state, created_at, created_by, expires_at, accepted_by, closed_at, version)
        VALUES (@id, @email, @role, @state, @created_at, @created_by, @expires_at, @accepted_by, @closed_at, @version)
        ON CONFLICT (id) DO UPDATE SET state = excluded.state, accepted_by = excluded.accepted_by, closed_at = excluded.closed_at, version = excluded.version
        WHERE excluded.version > invites.version`),
      passwordHash: db.prepare('SELECT password_hash FROM credentials WHERE user_id = ?'),
      setPasswordHash:
        db.prepare(`INSERT INTO credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`),
      inviteByToken: db.prepare('SELECT invite_id FROM invite_tokens WHERE token_sha256 = ?'),
      saveInviteToken: db.prepare(
        'INSERT INTO invite_tokens (invite_id, token_sha256) VALUES (?, ?)',
      ),
      dropUnusedSetupTokens: db.prepare('DELETE FROM setup_tokens WHERE used_at IS NULL'),
      saveSetupToken: db.prepare(
        'INSERT INTO setup_tokens (token_sha256, created_at, expires_at) VALUES (?, ?, ?)',
      ),
      useSetupToken: db.prepare(
        'UPDATE setup_tokens SET used_at = ? WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?',
      ),
    };
  }

  user(id: string): UserState | undefined {
    const r = this.s.user.get(id) as UserRow | undefined;
    return r && toUser(r);
  }

  userByEmail(email: string): UserState | undefined {
    const r = this.s.userByEmail.get(email) as UserRow | undefined;
    return r && toUser(r);
  }

  users(): UserState[] {
    return (this.s.users.all() as UserRow[]).map(toUser);
  }

  /** Everyone who can have written to the log, with their names. */
  actorNames(): { id: string; name: string | null }[] {
    return this.s.actorNames.all() as { id: string; name: string | null }[];
  }

  userCount(): number {
    return (this.s.userCount.get() as { n: number }).n;
  }

  activeAdminCount(): number {
    return (this.s.activeAdmins.get() as { n: number }).n;
  }

  invite(id: string): InviteState | undefined {
    return this.s.invite.get(id) as InviteState | undefined;
  }

  invites(): InviteState[] {
    return this.s.invites.all() as InviteState[];
  }

  pendingInvitesFor(email: string): InviteState[] {
    return this.s.pendingFor.all(email) as InviteState[];
  }

  outstandingInvites(now: string): number {
    return (this.s.pendingUnexpired.get(now) as { n: number }).n;
  }

  /** Written by the projector only. */
  saveUser(u: UserState): void {
    this.s.upsertUser.run({ ...u, disabled: u.disabled ? 1 : 0 });
  }

  /** Written by the projector only. */
  saveInvite(i: InviteState): void {
    this.s.upsertInvite.run(i);
  }

  passwordHash(userId: string): string | undefined {
    return (this.s.passwordHash.get(userId) as { password_hash: string } | undefined)
      ?.password_hash;
  }

  setPasswordHash(userId: string, hash: string, at: string): void {
    this.s.setPasswordHash.run(userId, hash, at);
  }

  inviteIdByTokenHash(tokenSha256: string): string | undefined {
    return (this.s.inviteByToken.get(tokenSha256) as { invite_id: string } | undefined)?.invite_id;
  }

  saveInviteToken(inviteId: string, tokenSha256: string): void {
    this.s.saveInviteToken.run(inviteId, tokenSha256);
  }

  /** A new setup link replaces any unused one, so only the link printed last works. */
  replaceSetupToken(tokenSha256: string, at: string, expiresAt: string): void {
    this.s.dropUnusedSetupTokens.run();
    this.s.saveSetupToken.run(tokenSha256, at, expiresAt);
  }

  /** Marks the token used; false when it is unknown, used or expired. */
  useSetupToken(tokenSha256: string, at: string): boolean {
    return this.s.useSetupToken.run(at, tokenSha256, at).changes === 1;
  }
}
