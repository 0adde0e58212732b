import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { precompress } from './precompress.js';
import { mapData } from './map-data.js';

const root = fileURLToPath(new URL('.', import.meta.url));
// The orchestrator the dev server forwards to (npm start listens on 8080 by default).
const target = process.env.ORCH_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [react(), mapData(fileURLToPath(new URL('./src/features/map/data/', import.meta.url))), precompress()],
  // No source maps in the served build: the board's source is not published (issue 16).
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
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
