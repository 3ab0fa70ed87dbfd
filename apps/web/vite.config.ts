import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The browser imports the domain's TypeScript source (not its CommonJS build), so the grid validates a
 * cell with exactly the code the server runs.
 */
export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@crm/domain': here('../../libs/domain/src/index.ts'),
      '@crm/events': here('../../libs/events/src/index.ts'),
      '@crm/contracts': here('../../libs/contracts/src/index.ts'),
      '@': here('./src'),
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // SSE must not be buffered: the proxy streams text/event-stream as it arrives.
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
});
