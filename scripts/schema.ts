// Writes docs/config.schema.json, the JSON Schema of experiment files, from the zod schema and the
// field descriptions (`npm run schema`; test/config/json-schema.test.ts checks it is up to date).
import { writeFileSync } from 'node:fs';
import { experimentSchemaText, SCHEMA_FILE } from '../src/config/json-schema.ts';

writeFileSync(SCHEMA_FILE, experimentSchemaText());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
