import { createRouter, createWebHistory } from 'vue-router';
import { useAuth } from './auth/auth.store';
import { onUnauthorized } from './http';

const PUBLIC = new Set(['setup', 'login', 'invite']);

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/grid' },
    { path: '/setup', name: 'setup', component: () => import('./auth/SetupPage.vue') },
    { path: '/login', name: 'login', component: () => import('./auth/LoginPage.vue') },
    { path: '/invite', name: 'invite', component: () => import('./auth/AcceptInvitePage.vue') },
    { path: '/accept-invite', redirect: (to) => ({ path: '/invite', query: to.query }) },
    {
      path: '/invite/:token',
      redirect: (to) => ({ path: '/invite', query: { token: String(to.params.token) } }),
    },
    {
      path: '/grid/:tableId?',
      name: 'grid',
      component: () => import('../features/fundraising/components/GridPage.vue'),
    },
    {
      // Its own chunk: the chart library loads with this page only, never with the grid.
      path: '/dashboard',
      name: 'dashboard',
      component: () => import('../features/dashboard/components/DashboardPage.vue'),
    },
    {
      path: '/import',
      name: 'import',
      component: () => import('../features/imports/components/ImportWizard.vue'),
    },
    {
      path: '/activity',
      name: 'activity',
      component: () => import('../features/history/components/ActivityPage.vue'),
    },
    {
      path: '/automations',
      name: 'automations',
      component: () => import('../features/automations/components/AutomationsPage.vue'),
    },
    {
      path: '/admin/restore',
      name: 'restore',
      component: () => import('../features/history/components/RestorePage.vue'),
      meta: { admin: true },
    },
    {
      path: '/admin/backups',
      name: 'backups',
      component: () => import('../features/backups/components/BackupsPage.vue'),
      meta: { admin: true },
    },
    {
      path: '/admin/users',
      name: 'users',
      component: () => import('../features/users/components/UsersPage.vue'),
      meta: { admin: true },
    },
    { path: '/:rest(.*)*', redirect: '/grid' },
  ],
});

router.beforeEach(async (to) => {
  const auth = useAuth();
  await auth.load();
  if (PUBLIC.has(String(to.name))) {
    if (auth.signedIn && !auth.open && (to.name === 'login' || to.name === 'setup'))
      return { path: '/grid' };
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
  if (to.meta.admin && !auth.isAdmin) return { path: '/grid' };
  return true;
});

onUnauthorized(() => {
  const auth = useAuth();
  if (auth.open) return;
  auth.signedOut();
  const current = router.currentRoute.value;
  if (!PUBLIC.has(String(current.name)))
    void router.push({ name: 'login', query: { next: current.fullPath } });
});
