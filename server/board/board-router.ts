import express, { type Request, type Response, type NextFunction } from 'express';
import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

/** Paths the server itself answers; the board's SPA fallback never shadows them. */
const SERVER_PATHS = /^\/(api|ws|p|twilio|healthz|readyz|metrics|_sim)(\/|$)/;

/** The board's page policy; the headers every answer carries (nosniff, no framing) come from the app. */
const BOARD_CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/** Built files only: a missing hashed asset or source map is a 404, never the board's page (which a script tag would then run as JS). */
const FILE_ONLY = (path: string) => path.startsWith('/assets/') || path.endsWith('.map');

/** Serves the built board (client/dist): hashed assets cached for a year, index.html for every other page GET. */
export function createBoardRouter(distDir: string): express.Router {
  const dir = resolve(distDir);
  const index = join(dir, 'index.html');
  const router = express.Router();
  // Precompressed at build time (client/precompress.ts): the smallest encoding the browser takes, no per-request CPU.
  router.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.path.startsWith('/assets/')) return next();
    const file = join(dir, req.path);
    if (!file.startsWith(join(dir, 'assets'))) return next();
    res.vary('Accept-Encoding');
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    const ext = encoding === 'br' ? '.br' : encoding === 'gzip' ? '.gz' : null;
    if (!ext || !existsSync(file + ext)) return next();
    res.setHeader('Content-Encoding', encoding as string);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.type(extname(file));
    res.sendFile(file + ext, (err) => err && next(err));
  });
  router.use(
    express.static(dir, {
      index: false,
      setHeaders: (res, file) => {
        // Vite names files under assets/ by content hash, so they never change under the same URL.
        if (file.startsWith(join(dir, 'assets'))) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PATHS.test(req.path) || FILE_ONLY(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('Content-Security-Policy', BOARD_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    if (!existsSync(index)) {
      res.status(503).type('text/plain; charset=utf-8').send('The board is not built yet: run `npm run build:client`.\n');
      return;
    }
    res.sendFile(index);
  });
  return router;
}

/**
 * Where the built board is: `dist/board` beside the compiled server (`npm run build`), else
 * `client/dist` when the server runs from source (`npm run build:client`).
 */
export const DEFAULT_BOARD_DIST = [resolve(import.meta.dirname, '../../board'), resolve(import.meta.dirname, '../../client/dist')].find((d) => existsSync(join(d, 'index.html'))) ?? resolve(import.meta.dirname, '../../client/dist');
