// Worker bootstrap: lets a worker thread run a TypeScript entry, under tsx and under vitest alike.
//
// A `.ts` file cannot be a Worker's entry under tsx (ERR_UNKNOWN_FILE_EXTENSION), so the pool starts this
// plain module instead. `workerData` must be `{ entry, data }` (see `BootstrapWorkerData` and
// `bootstrapWorker()` in pool.ts):
//   entry: file URL (href) of the real worker module, which calls `exposeWorker(api)` (comlink expose);
//   data:  the caller's own payload, read in the entry with `bootstrapData()` (or `workerData.data`).
// tsx is registered only for TypeScript entries; a compiled `.js`/`.mjs` entry starts without it.
import { workerData } from 'node:worker_threads';

const entry = workerData && typeof workerData === 'object' ? workerData.entry : undefined;
if (typeof entry !== 'string' || !('data' in workerData)) {
  throw new TypeError(
    'worker-bootstrap.mjs needs workerData = { entry: <file URL of the worker module>, data: <payload> }',
  );
}
if (/\.[cm]?tsx?$/.test(new URL(entry).pathname)) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
