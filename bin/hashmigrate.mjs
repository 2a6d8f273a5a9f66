#!/usr/bin/env node
// Entry point of the `hashmigrate` command: registers tsx so that the TypeScript sources run as they are.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
