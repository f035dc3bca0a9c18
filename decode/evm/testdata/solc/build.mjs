// Compiles real OpenZeppelin contracts with the solc-js pinned in
// package.json, once with the legacy pipeline and once with viaIR (optimizer
// on, runs 200 both times), and writes builds.json: per contract and
// pipeline, its creation and runtime bytecode and the selectors solc lists
// in evm.methodIdentifiers, sorted. decode/evm's tests check that Analyze
// tells creation code from runtime code and finds every selector in each.
//
//   cd decode/evm/testdata/solc && npm ci && node build.mjs
//
// The output depends only on the pinned packages and the settings below, so
// running it again gives the same bytes.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// Our wizard-style contracts, plus OpenZeppelin's own proxy as shipped.
const targets = {
  'contracts/TokenUUPS.sol': 'TokenUUPS',
  'contracts/RoleToken.sol': 'RoleToken',
  'contracts/Gov.sol': 'Gov',
  '@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol': 'ERC1967Proxy',
  '@openzeppelin/contracts/proxy/transparent/TransparentUpgradeableProxy.sol': 'TransparentUpgradeableProxy',
};

const sources = {};
for (const f of readdirSync(join(here, 'contracts')).filter((f) => f.endsWith('.sol')).sort()) {
  sources[`contracts/${f}`] = { content: readFileSync(join(here, 'contracts', f), 'utf8') };
}
for (const path of Object.keys(targets)) {
  if (path.startsWith('@')) sources[path] = { content: readFileSync(require.resolve(path), 'utf8') };
}

// Imports resolve inside node_modules, as Hardhat does.
function findImports(path) {
  try {
    return { contents: readFileSync(require.resolve(path), 'utf8') };
  } catch (e) {
    return { error: `${path}: ${e.message}` };
  }
}

const builds = [];
for (const viaIR of [false, true]) {
  const settings = { optimizer: { enabled: true, runs: 200 }, viaIR };
  const outputSelection = {};
  for (const [path, name] of Object.entries(targets)) {
    outputSelection[path] = { [name]: ['evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] };
  }
  const input = { language: 'Solidity', sources, settings: { ...settings, outputSelection } };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  for (const e of errors) console.error(e.formattedMessage ?? e.message);
  if (errors.length) process.exit(1);
  for (const [path, name] of Object.entries(targets)) {
    const c = output.contracts?.[path]?.[name];
    if (!c) {
      console.error(`${path}: no contract named ${name}`);
      process.exit(1);
    }
    builds.push({
      name,
      source: path,
      viaIR,
      creation: c.evm.bytecode.object,
      runtime: c.evm.deployedBytecode.object,
      selectors: Object.values(c.evm.methodIdentifiers).sort(),
    });
  }
}

const pkg = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
const out = {
  compiler: solc.version(),
  openzeppelin: { contracts: pkg('@openzeppelin/contracts'), upgradeable: pkg('@openzeppelin/contracts-upgradeable') },
  optimizer: { enabled: true, runs: 200 },
  builds,
};
writeFileSync(join(here, 'builds.json'), `${JSON.stringify(out, null, 1)}\n`);
console.log(`builds.json: ${builds.length} builds, solc ${solc.version()}`);
