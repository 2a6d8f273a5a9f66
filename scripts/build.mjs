// Bundles the CLI and its worker into dist/ with esbuild (the benchmark times this compiled build).
import { build } from 'esbuild';

const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
// resvg-js loads a native .node binary, which esbuild cannot bundle: it stays an import.
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', banner, logLevel: 'warning', external: ['tsx', 'tsx/*', '@resvg/resvg-js'] };
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts', worker: 'src/runner/worker.ts', bench: 'scripts/bench.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } });
