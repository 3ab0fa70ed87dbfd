import type { MySettings } from '@crm/contracts';
import { defineStore } from 'pinia';
import { ApiError } from '../http';
import { authApi, type User } from './auth.api';

/** Where each start page a person can choose lives. */
const START_PATHS: Record<MySettings['start_page'], string> = {
  grid: '/grid',
  dashboard: '/dashboard',
};

/**
 * Who is signed in. The session itself is an httpOnly cookie the page never sees; this store only
 * remembers the user the server said it is. `open` means the server has no accounts (auth not enabled).
 */
export const useAuth = defineStore('auth', {
  state: () => ({ user: null as User | null, loaded: false, open: false, needsSetup: false }),
  getters: {
    isAdmin: (s) => s.open || s.user?.role === 'admin',
    signedIn: (s) => s.open || s.user !== null,
  },
  actions: {
    async load(force = false): Promise<void> {
      if (this.loaded && !force) return;
      try {
        this.user = await authApi.me();
        this.open = false;
      } catch (e) {
        this.user = null;
        if (e instanceof ApiError && e.status === 404) {
          // No auth routes on this server: the fundraising API is open.
          this.open = true;
        } else if (e instanceof ApiError && e.status === 401) {
          try {
            this.needsSetup = (await authApi.setupStatus()).needs_setup;
          } catch {
            this.needsSetup = false;
          }
        } else {
          throw e;
        }
      }
      this.loaded = true;
    },
    async login(email: string, password: string): Promise<void> {
      const s = await authApi.login(email, password);
      this.user = s.user;
      this.loaded = true;
      this.needsSetup = false;
    },
    async setup(body: {
      token: string;
      email: string;
      name: string;
      password: string;
    }): Promise<void> {
      const s = await authApi.setup(body);
      this.user = s.user;
      this.loaded = true;
      this.needsSetup = false;
    },
    async acceptInvite(body: { token: string; name: string; password: string }): Promise<void> {
      const s = await authApi.acceptInvite(body);
      this.user = s.user;
      this.loaded = true;
    },
    async logout(): Promise<void> {
      try {
        await authApi.logout();
      } finally {
        this.user = null;
      }
    },
    signedOut(): void {
      this.user = null;
    },
    /**
     * Where `/` leads for this person: the start page they chose, read afresh each time (it can
     * change on another device); the grid when there are no accounts or the setting cannot be read.
     */
    async startPath(): Promise<string> {
      if (this.open || !this.user) return '/grid';
      const settings = await authApi.settings().catch(() => null);
      return (settings && START_PATHS[settings.start_page]) ?? '/grid';
    },
  },
});
