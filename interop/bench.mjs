#!/usr/bin/env node
// Benchmark of Digital Bazaar's vc-js issuing and verifying one credential
// with eddsa-rdfc-2022, offline, with the W3C vc-di-eddsa test key.
//
//   node interop/bench.mjs FILE [ITERATIONS=200] [WARMUP=20]
//
// Prints one JSON line:
//   {"sign_per_sec":..,"verify_per_sec":..,"sign_mean_ms":..,"verify_mean_ms":..,...}
// Each iteration builds a new suite, as a service issuing many credentials
// would, so no per-document hash cache carries over between iterations;
// jsonld.js's own resolved-context cache does (it is process-wide).

import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {performance} from 'node:perf_hooks';
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {documentLoader} from './loader.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const KEYPAIR = process.env.ACCOLADE_BENCH_KEYPAIR || join(HERE, '..', '..',
  'shared', 'conformance', 'w3c-vc-di-eddsa', 'TestVectors', 'keyPair.json');
// The same key, inlined so the benchmark runs where shared/ is absent.
const W3C_TEST_KEY = {
  publicKeyMultibase: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
  secretKeyMultibase: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq',
};

function usage(message) {
  process.stderr.write(
    `${message}\nusage: node interop/bench.mjs FILE [ITERATIONS] [WARMUP]\n`);
  process.exit(2);
}

function testKey() {
  try {
    const kp = JSON.parse(readFileSync(KEYPAIR, 'utf8'));
    return {
      publicKeyMultibase: kp.publicKeyMultibase,
      secretKeyMultibase: kp.secretKeyMultibase ?? kp.privateKeyMultibase,
    };
  } catch {
    return W3C_TEST_KEY;
  }
}

async function main() {
  const [file, itArg = '200', warmArg = '20'] = process.argv.slice(2);
  if(!file) {
    usage('missing FILE');
  }
  const iterations = Number.parseInt(itArg, 10);
  const warmup = Number.parseInt(warmArg, 10);
  if(!(iterations > 0) || !(warmup >= 0)) {
    usage('ITERATIONS must be > 0 and WARMUP >= 0');
  }
  const credential = JSON.parse(readFileSync(file, 'utf8'));
  delete credential.proof;

  const {publicKeyMultibase, secretKeyMultibase} = testKey();
  const did = `did:key:${publicKeyMultibase}`;
  const key = await Ed25519Multikey.from({
    id: `${did}#${publicKeyMultibase}`, controller: did,
    publicKeyMultibase, secretKeyMultibase,
  });
  const signer = key.signer();
  const checkStatus = async () => ({verified: true});

  const sign = () => vc.issue({
    credential: structuredClone(credential),
    suite: new DataIntegrityProof({
      signer, date: '2024-01-01T00:00:00Z', cryptosuite: eddsaRdfc2022
    }),
    documentLoader,
  });
  const signed = await sign();
  const verify = async () => {
    const result = await vc.verifyCredential({
      credential: structuredClone(signed),
      suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
      documentLoader, checkStatus,
    });
    if(!result.verified) {
      throw new Error(`verification failed: ${result.error?.errors?.[0]?.message ??
        result.error?.message ?? JSON.stringify(result)}`);
    }
  };
  // Fail before timing anything if the credential cannot be verified.
  await verify();

  const time = async fn => {
    for(let i = 0; i < warmup; i++) {
      await fn();
    }
    const start = performance.now();
    for(let i = 0; i < iterations; i++) {
      await fn();
    }
    return performance.now() - start;
  };
  const signMs = await time(sign);
  const verifyMs = await time(verify);
  const round = x => Math.round(x * 1000) / 1000;
  process.stdout.write(JSON.stringify({
    sign_per_sec: round(iterations / (signMs / 1000)),
    verify_per_sec: round(iterations / (verifyMs / 1000)),
    sign_mean_ms: round(signMs / iterations),
    verify_mean_ms: round(verifyMs / iterations),
    iterations,
    warmup,
    cryptosuite: 'eddsa-rdfc-2022',
    node: process.versions.node,
  }) + '\n');
}

main().catch(e => {
  process.stderr.write(`bench.mjs: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
