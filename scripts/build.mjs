// Bundles the CLI and its worker into dist/ with esbuild (the benchmark times this compiled build).
import { build } from 'esbuild';

const banner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', banner, logLevel: 'warning', external: ['tsx', 'tsx/*'] };
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts', worker: 'src/runner/worker.ts', bench: 'scripts/bench.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } });
