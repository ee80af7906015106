import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The web app reads core's TypeScript sources directly; no core build is needed first.
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: { '@svcpath/core': here('../../packages/core/src/index.ts') },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 500,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
