// Runs one compiled benchmark: `node bench/run.mjs <name> [args]` (or `npm run bench -- <name> [args]`,
// which builds first). A benchmark is dist/bench/<name>.js exporting `main(args)`; it may resolve to an
// exit code. support.js and files starting with "_" are helpers, not benchmarks.
import { readdirSync } from 'node:fs';

const dir = new URL('../dist/bench/', import.meta.url);
const isBenchmark = (file) => file.endsWith('.js') && file !== 'support.js' && !file.startsWith('_');
let available = [];
try {
  available = readdirSync(dir).filter(isBenchmark).map((file) => file.slice(0, -3)).sort();
} catch {
  // dist/bench does not exist yet: nothing is built
}

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  if (name) console.error(`Unknown benchmark "${name}".`);
  console.error('Usage: npm run bench -- <name> [args]');
  console.error(`Available: ${available.length ? available.join(', ') : '(none; run npm run build first)'}`);
  process.exit(2);
}

const { main } = await import(new URL(`${name}.js`, dir).href);
const code = await main(args);
if (typeof code === 'number') process.exitCode = code;
