import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
// The orchestrator the dev server forwards to (npm start listens on 8080 by default).
const target = process.env.ORCH_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
  server: {
    proxy: {
      '/api': target,
      '/healthz': target,
      '^/p/': target,
      '/twilio': target,
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
