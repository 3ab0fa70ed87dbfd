import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from './auth/auth.store';
import { onUnauthorized } from './http';

const PUBLIC = new Set(['setup', 'login', 'invite']);

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      // The person's chosen start page, read once the guard below knows who they are; the grid's
      // component is there for the record's sake and never shows at this address.
      path: '/',
      component: () => import('../features/fundraising/components/GridPage.vue'),
      beforeEnter: async (to) => ({
        path: await useAuth().startPath(),
        query: to.query,
        replace: true,
      }),
    },
    {
      path: '/setup',
      name: 'setup',
      meta: { title: 'Set up' },
      component: () => import('./auth/SetupPage.vue'),
    },
    {
      path: '/login',
      name: 'login',
      meta: { title: 'Sign in' },
      component: () => import('./auth/LoginPage.vue'),
    },
    {
      path: '/invite',
      name: 'invite',
      meta: { title: 'Accept invitation' },
      component: () => import('./auth/AcceptInvitePage.vue'),
    },
    { path: '/accept-invite', redirect: (to) => ({ path: '/invite', query: to.query }) },
    {
      path: '/invite/:token',
      redirect: (to) => ({ path: '/invite', query: { token: String(to.params.token) } }),
    },
    {
      path: '/grid/:tableId?',
      name: 'grid',
      meta: { title: 'Fundraising' },
      component: () => import('../features/fundraising/components/GridPage.vue'),
    },
    {
      path: '/my-day',
      name: 'my-day',
      meta: { title: 'My day' },
      component: () => import('../features/reminders/components/MyDayPage.vue'),
    },
    {
      // Its own chunk: the chart library loads with this page only, never with the grid.
      path: '/dashboard',
      name: 'dashboard',
      meta: { title: 'Dashboard' },
      component: () => import('../features/dashboard/components/DashboardPage.vue'),
    },
    {
      path: '/import',
      name: 'import',
      meta: { title: 'Import' },
      component: () => import('../features/imports/components/ImportWizard.vue'),
    },
    {
      path: '/activity',
      name: 'activity',
      meta: { title: 'Activity' },
      component: () => import('../features/history/components/ActivityPage.vue'),
    },
    {
      path: '/feature-requests',
      name: 'feature-requests',
      meta: { title: 'Feature requests' },
      component: () => import('../features/feature-requests/components/FeatureRequestsPage.vue'),
    },
    {
      path: '/automations',
      name: 'automations',
      meta: { title: 'Automations' },
      component: () => import('../features/automations/components/AutomationsPage.vue'),
    },
    {
      path: '/tokens',
      name: 'tokens',
      meta: { title: 'API tokens' },
      component: () => import('../features/api-tokens/components/ApiTokensPage.vue'),
    },
    {
      path: '/admin/restore',
      name: 'restore',
      component: () => import('../features/history/components/RestorePage.vue'),
      meta: { title: 'Restore', admin: true },
    },
    {
      path: '/admin/backups',
      name: 'backups',
      component: () => import('../features/backups/components/BackupsPage.vue'),
      meta: { title: 'Backups', admin: true },
    },
    {
      path: '/admin/users',
      name: 'users',
      component: () => import('../features/users/components/UsersPage.vue'),
      meta: { title: 'Team', admin: true },
    },
    // An unknown address goes where `/` goes, never to some other fixed page.
    { path: '/:rest(.*)*', redirect: '/' },
  ],
});

router.beforeEach(async (to) => {
  const auth = useAuth();
  await auth.load();
  if (PUBLIC.has(String(to.name))) {
    if (auth.signedIn && !auth.open && (to.name === 'login' || to.name === 'setup'))
      return { path: '/' };
    return true;
  }
  if (!auth.signedIn) {
    if (auth.needsSetup)
      return { name: 'setup', query: to.query.token ? { token: to.query.token } : {} };
    return {
      name: 'login',
      query: to.fullPath !== '/grid' && to.fullPath !== '/' ? { next: to.fullPath } : {},
    };
  }
  if (to.meta.admin && !auth.isAdmin) return { path: '/' };
  return true;
});

/**
 * Each page says where it is: the window's title names it, and after a move within the app focus
 * goes to the page's heading, so that a screen reader announces the new page and the next Tab starts
 * at its top (a full load leaves focus where the browser puts it).
 */
router.afterEach((to, from) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : null;
  document.title = title ? `${title} · Venture CRM` : 'Venture CRM';
  if (!from.name || to.name === from.name) return;
  requestAnimationFrame(() => focusPageHeading());
});

/** The first heading of the page (made focusable for this), else the main region. */
export function focusPageHeading(): void {
  const main = document.getElementById('main');
  const heading = main?.querySelector<HTMLElement>('h1');
  const target = heading ?? main;
  if (!target) return;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

onUnauthorized(() => {
  const auth = useAuth();
  if (auth.open) return;
  auth.signedOut();
  const current = router.currentRoute.value;
  if (!PUBLIC.has(String(current.name)))
    void router.push({ name: 'login', query: { next: current.fullPath } });
});
