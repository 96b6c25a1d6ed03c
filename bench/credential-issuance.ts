// Open Badges 3.0 credential issuance rate (issue 6): `npm run bench -- credential-issuance [--n 500]
// [--concurrency 8] [--warmup 20]`.
//
// Pure CPU, no database or HTTP: builds n distinct OpenBadgeCredentials and signs them with the badges
// library exactly as the app does (DataIntegrityProof, eddsa-rdfc-2022, @digitalbazaar/vc, offline
// document loader), first one after another, then with `concurrency` issuances in flight. The baseline,
// measured in the same run, is raw Ed25519 over the same canonicalised bytes (the document's N-Quads)
// with node:crypto and a KeyObject. The ratio issuance/s ÷ raw signatures/s is the price of JSON-LD
// expansion and RDF canonicalisation (the suite canonicalises the document and the proof options, hashes
// both, then signs 64 bytes). A sample of the issued credentials is verified, so the figures are for
// credentials that are actually valid.
import { sign } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  buildControllerDocument,
  buildOpenBadgeCredential,
  canonicalise,
  createDocumentLoader,
  createStatusList,
  generateIssuerKey,
  hashRecipient,
  issueOpenBadgeCredential,
  issueStatusListCredential,
  recipientIdentity,
  toNodeKeyObjects,
  verifyCredential,
  allocateStatusIndex,
  type OpenBadgeCredentialInput,
  type SignedOpenBadgeCredential,
} from '../libs/badges/src/index.js';

import { intOption, summarise } from './support.js';

const BASE = 'https://young-ideas.example';
const ISSUER = `${BASE}/ob/v3/issuer`;
const STATUS_LIST = `${BASE}/ob/v3/status/1`;
const BADGES = ['idea-maker', 'team-player', 'shortlisted', 'finalist', 'winner', 'judge'];

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

function credentialInput(i: number, statusListIndex: number): OpenBadgeCredentialInput {
  const slug = BADGES[i % BADGES.length];
  const userId = `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  return {
    id: `${BASE}/ob/v3/credentials/${userId}-${slug}`,
    issuer: { id: ISSUER, name: 'Young Ideas', url: `${BASE}/about` },
    validFrom: new Date(Date.UTC(2025, 2, 1, 10, 0, i % 60)),
    recipient: hashRecipient(recipientIdentity({ userId, email: i % 3 ? `learner${i}@school.example` : null })),
    achievement: {
      id: `${BASE}/ob/v2/badges/${slug}`,
      name: `Badge ${slug}`,
      description: `Awarded for ${slug.replace('-', ' ')} in a Young Ideas competition.`,
      criteria: { narrative: `Earned by being a ${slug}.` },
      image: { id: `${BASE}/ob/badges/${slug}/image` },
      alignments: [{ targetName: 'Creativity', targetUrl: 'https://skills.example/creativity' }],
    },
    evidence: i % 2 ? [{ narrative: `Idea number ${i}.` }] : undefined,
    status: { statusListCredential: STATUS_LIST, statusListIndex },
  };
}

export async function main(args: string[]): Promise<number> {
  const n = intOption(args, 'n', 500);
  const concurrency = intOption(args, 'concurrency', 8);
  const warmup = intOption(args, 'warmup', 20);

  const key = await generateIssuerKey(ISSUER);
  const controller = buildControllerDocument(key);
  const signingLoader = createDocumentLoader({ documents: { [ISSUER]: controller } });
  const list = createStatusList();
  const statusList = await issueStatusListCredential({ id: STATUS_LIST, list }, { key, documentLoader: signingLoader });
  const verifyingLoader = createDocumentLoader({ documents: { [ISSUER]: controller, [STATUS_LIST]: statusList } });

  const used = new Set<number>();
  const inputs = Array.from({ length: n }, (_, i) => {
    const index = allocateStatusIndex(used);
    used.add(index);
    return credentialInput(i, index);
  });
  const issue = (input: OpenBadgeCredentialInput): Promise<SignedOpenBadgeCredential> =>
    issueOpenBadgeCredential(input, { key, documentLoader: signingLoader });

  // Warm-up: JIT, and jsonld's resolved-context cache (the app keeps one loader for its lifetime too).
  for (let i = 0; i < warmup; i++) await issue(inputs[i % n]);

  // 1. Sequential issuance.
  const sequentialMs: number[] = [];
  const issued: SignedOpenBadgeCredential[] = [];
  const sequentialStart = performance.now();
  for (const input of inputs) {
    const start = performance.now();
    issued.push(await issue(input));
    sequentialMs.push(performance.now() - start);
  }
  const sequentialTotal = performance.now() - sequentialStart;

  // 2. `concurrency` issuances in flight (one process: the work is CPU on the event loop).
  const concurrentMs: number[] = [];
  let next = 0;
  const concurrentStart = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const input = inputs[next++];
        const start = performance.now();
        await issue(input);
        concurrentMs.push(performance.now() - start);
      }
    }),
  );
  const concurrentTotal = performance.now() - concurrentStart;

  // 3. Baseline: canonicalise each document once (timed separately), then raw Ed25519 over those bytes,
  //    repeated until at least half a second has passed so the rate is not timer noise.
  const canonicalStart = performance.now();
  const canonical: Buffer[] = [];
  for (const input of inputs) canonical.push(Buffer.from(await canonicalise(buildOpenBadgeCredential(input), signingLoader)));
  const canonicalTotal = performance.now() - canonicalStart;
  const { privateKey } = toNodeKeyObjects(key);
  for (const bytes of canonical.slice(0, warmup)) sign(null, bytes, privateKey);
  let rawCount = 0;
  const rawStart = performance.now();
  do {
    for (const bytes of canonical) sign(null, bytes, privateKey);
    rawCount += canonical.length;
  } while (performance.now() - rawStart < 500);
  const rawTotal = performance.now() - rawStart;

  // 4. The issued credentials are real: verify a sample (first, middle, last), status included.
  const sample = [issued[0], issued[Math.floor(n / 2)], issued[n - 1]];
  const verifications = await Promise.all(sample.map((c) => verifyCredential(c, { documentLoader: verifyingLoader })));
  const allVerified = verifications.every((v) => v.verified);

  const sequentialRate = (n * 1000) / sequentialTotal;
  const concurrentRate = (n * 1000) / concurrentTotal;
  const rawRate = (rawCount * 1000) / rawTotal;
  const canonicalRate = (n * 1000) / canonicalTotal;
  const seq = summarise(sequentialMs);
  const conc = summarise(concurrentMs);
  const averageBytes = canonical.reduce((sum, b) => sum + b.length, 0) / n;
  const averageJson = issued.reduce((sum, c) => sum + JSON.stringify(c).length, 0) / n;

  const rows: Array<[string, string]> = [
    ['credentials', `${n} (warm-up ${warmup}), ~${Math.round(averageJson)} B JSON, ~${Math.round(averageBytes)} B N-Quads`],
    ['sequential issuance', `${round(sequentialRate)} signatures/s (p50/p95/p99 ${round(seq.p50, 2)} / ${round(seq.p95, 2)} / ${round(seq.p99, 2)} ms)`],
    [`concurrency ${concurrency}`, `${round(concurrentRate)} signatures/s (p50/p95/p99 ${round(conc.p50, 2)} / ${round(conc.p95, 2)} / ${round(conc.p99, 2)} ms)`],
    ['document canonicalisation only', `${round(canonicalRate)} documents/s`],
    ['raw Ed25519 (node:crypto) over the N-Quads', `${round(rawRate)} signatures/s`],
    ['ratio sequential ÷ raw', `${(sequentialRate / rawRate * 100).toFixed(2)} %  (1 : ${round(rawRate / sequentialRate)})`],
    ['ratio concurrent ÷ raw', `${(concurrentRate / rawRate * 100).toFixed(2)} %`],
    ['sample verified', allVerified ? 'yes (3 of 3, status checked)' : `NO: ${verifications.flatMap((v) => v.errors).join('; ')}`],
    ['machine', `${availableParallelism()} cores, Node ${process.version}`],
  ];
  const title = 'Open Badges 3.0 credential issuance (eddsa-rdfc-2022) vs raw Ed25519';
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${title}\n${'-'.repeat(title.length)}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
  const figures = {
    n,
    concurrency,
    sequentialPerSecond: round(sequentialRate),
    concurrentPerSecond: round(concurrentRate),
    canonicalisationsPerSecond: round(canonicalRate),
    rawEd25519PerSecond: round(rawRate),
    ratioSequential: round(sequentialRate / rawRate, 5),
    ratioConcurrent: round(concurrentRate / rawRate, 5),
    sequentialLatencyMs: { p50: round(seq.p50, 3), p95: round(seq.p95, 3), p99: round(seq.p99, 3) },
    concurrentLatencyMs: { p50: round(conc.p50, 3), p95: round(conc.p95, 3), p99: round(conc.p99, 3) },
    verified: allVerified,
  };
  console.log(`\nfigures ${JSON.stringify(figures)}`);
  return allVerified ? 0 : 1;
}
