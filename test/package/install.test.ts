// A fresh `npm ci` on the oldest supported Node must be clean: every locked package supports that Node,
// and every dependency with an install script is declared in `allowScripts` (npm 11 warns otherwise).
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean; optional?: boolean; os?: string[] }>;
};
const lowestNode = semver.minVersion(pkg.engines.node)!.version;
const packageName = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);

describe('installation', () => {
  it(`every locked package accepts Node ${lowestNode}, the oldest the engines field allows`, () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range && !semver.satisfies(lowestNode, range) ? [`${packageName(path)}@${entry.version} wants node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });

  it('every locked package with an install script is declared in allowScripts', () => {
    const declared = pkg.allowScripts ?? {};
    const undeclared = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && entry.hasInstallScript)
      .map(([path]) => packageName(path))
      .filter((name) => !(name in declared));
    expect(undeclared).toEqual([]);
  });
});
