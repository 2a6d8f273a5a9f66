// Types for comlink's Node adapter. The package ships `node-adapter.d.ts` next to the `.mjs`, but under
// `moduleResolution: NodeNext` TypeScript looks for `node-adapter.d.mts` and finds nothing, so the
// deep import `comlink/dist/esm/node-adapter.mjs` is declared here.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';

  /** What the adapter needs: a `Worker` (main thread side) or `parentPort` (worker side) fits. */
  export interface NodeEndpoint {
    postMessage(message: any, transfer?: any[]): void;
    on(type: string, listener: (...args: any[]) => void, options?: object): void;
    off(type: string, listener: (...args: any[]) => void, options?: object): void;
    start?: () => void;
  }

  /** Wraps a Node `Worker` or `MessagePort` as a comlink `Endpoint`. */
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
