// Self-check of the interop peer through its real CLI (node --test).
//
//   cd interop && npm test        # or: node --test interop/
//
// Every fixture in fixtures/interop must canonize in safe mode, sign with both
// cryptosuites, verify, and fail to verify once tampered. The W3C vc-di-eddsa
// vectors (from ../../shared/conformance, skipped when absent) must be
// reproduced byte for byte. Status lists made by statusCreate must read back
// with statusRead and verify.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, '..', 'fixtures', 'interop');
const VECTORS = join(HERE, '..', '..', 'shared', 'conformance',
  'w3c-vc-di-eddsa', 'TestVectors');

const KEY = {
  publicKeyMultibase: 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2',
  secretKeyMultibase: 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq',
};
const VM = `did:key:${KEY.publicKeyMultibase}#${KEY.publicKeyMultibase}`;

function peer(request) {
  const run = spawnSync(process.execPath, [join(HERE, 'peer.mjs')], {
    input: JSON.stringify(request), encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `peer.mjs exited ${run.status}: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, 'one response line');
  return JSON.parse(lines[0]);
}

const json = path => JSON.parse(readFileSync(path, 'utf8'));
const fixtures = readdirSync(FIXTURES).filter(f => f.endsWith('.json')).sort();

test('at least 24 fixtures', () => {
  assert.ok(fixtures.length >= 24, `${fixtures.length} fixtures`);
});

test('fixtures canonize, sign with both suites, verify, and detect tampering',
  () => {
    const docs = fixtures.map(f => json(join(FIXTURES, f)));
    const suites = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'];
    const first = peer({op: 'batch', requests: docs.flatMap(document => [
      {op: 'canonize', document},
      ...suites.map(cryptosuite => ({
        op: 'sign', document, cryptosuite, key: KEY, verificationMethod: VM,
        proofPurpose: 'assertionMethod', created: '2024-02-01T00:00:00Z'
      })),
    ])}).responses;
    const signed = [];
    fixtures.forEach((name, i) => {
      const [canon, ...sigs] = first.slice(i * 3, i * 3 + 3);
      assert.equal(canon.error, undefined, `${name} canonize: ${canon.error}`);
      assert.ok(canon.nquads.length > 0, `${name}: empty N-Quads`);
      sigs.forEach((s, j) => {
        assert.equal(s.error, undefined, `${name} ${suites[j]}: ${s.error}`);
        signed.push([`${name} ${suites[j]}`, s.document]);
      });
    });
    const tamper = doc => {
      const t = structuredClone(doc);
      t.id = `${t.id ?? 'urn:x'}-tampered`;
      return t;
    };
    const second = peer({op: 'batch', requests: signed.flatMap(([, d]) => [
      {op: 'verify', document: d}, {op: 'verify', document: tamper(d)}
    ])}).responses;
    signed.forEach(([label], i) => {
      const [ok, bad] = second.slice(i * 2, i * 2 + 2);
      assert.deepEqual(ok.errors, [], `${label} verify`);
      assert.equal(ok.verified, true, label);
      assert.equal(bad.verified, false, `${label}: tampered copy verified`);
    });
  });

test('signing is deterministic', () => {
  const document = json(join(FIXTURES, fixtures[0]));
  const request = {op: 'sign', document, cryptosuite: 'eddsa-rdfc-2022',
    key: KEY};
  const a = peer(request);
  assert.deepEqual(peer(request), a);
  assert.equal(a.document.proof.created, undefined, 'no created unless given');
});

test('presentation: authentication proof with challenge and domain', () => {
  const presentation = {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    holder: VM.split('#')[0],
  };
  const {document} = peer({op: 'sign', document: presentation,
    cryptosuite: 'eddsa-rdfc-2022', key: KEY, proofPurpose: 'authentication',
    challenge: 'c-123', domain: 'verifier.example'});
  assert.equal(peer({op: 'verify', document, challenge: 'c-123',
    domain: 'verifier.example'}).verified, true);
  assert.equal(peer({op: 'verify', document, challenge: 'other'}).verified,
    false);
});

test('status lists: statusCreate signs, statusRead reads, verify checks',
  () => {
    const issuer = VM.split('#')[0];
    const [created, again] = peer({op: 'batch', requests: [0, 1].map(() => ({
      op: 'statusCreate', id: 'https://status.example/lists/1', issuer,
      statusPurpose: 'revocation', length: 131072, set: [0, 42, 131071],
      key: KEY,
    }))}).responses;
    assert.equal(created.error, undefined, created.error);
    assert.deepEqual(again, created, 'statusCreate is deterministic');
    const {document} = created;
    assert.deepEqual(document['@context'],
      ['https://www.w3.org/ns/credentials/v2']);
    assert.deepEqual(document.type,
      ['VerifiableCredential', 'BitstringStatusListCredential']);
    assert.equal(document.issuer, issuer);
    assert.equal(document.credentialSubject.statusPurpose, 'revocation');
    assert.equal(document.proof.cryptosuite, 'eddsa-rdfc-2022');
    const tampered = structuredClone(document);
    tampered.credentialSubject.statusPurpose = 'suspension';
    const [read, outside, ok, bad, notList] = peer({op: 'batch', requests: [
      {op: 'statusRead', credential: document,
        indexes: [0, 1, 41, 42, '43', 131071]},
      {op: 'statusRead', credential: document, indexes: [131072]},
      {op: 'verify', document},
      {op: 'verify', document: tampered},
      {op: 'statusRead', credential: {type: ['VerifiableCredential']},
        indexes: [0]},
    ]}).responses;
    assert.deepEqual(read, {
      bits: {0: 1, 1: 0, 41: 0, 42: 1, 43: 0, 131071: 1}, length: 131072
    });
    assert.match(outside.error, /out of range/);
    assert.deepEqual(ok, {verified: true, errors: []});
    assert.equal(bad.verified, false, 'tampered list verified');
    assert.match(notList.error, /BitstringStatusListCredential/);
  });

test('statusCreate refuses bad input', () => {
  const base = {op: 'statusCreate', id: 'https://status.example/lists/1',
    issuer: VM.split('#')[0], statusPurpose: 'revocation', length: 131072,
    set: [], key: KEY};
  const [length, position, purpose, issuer, key] = peer({op: 'batch',
    requests: [
      {...base, length: 0},
      {...base, set: [131072]},
      {...base, statusPurpose: undefined},
      {...base, issuer: 7},
      {...base, key: {...KEY, publicKeyMultibase: 'z6Mkother'}},
    ]}).responses;
  assert.match(length.error, /length/);
  assert.match(position.error, /out of range/);
  assert.match(purpose.error, /statusPurpose/);
  assert.match(issuer.error, /issuer/);
  assert.ok(key.error, 'a key that is not the secret key\'s is refused');
});

test('unbundled context is an error naming the URL', () => {
  const url = 'https://example.org/not-bundled/v1';
  const r = peer({op: 'canonize', document: {
    '@context': ['https://www.w3.org/ns/credentials/v2', url],
    type: 'VerifiableCredential'}});
  assert.match(r.error, /not-bundled/);
});

test('undefined term is a safe-mode error', () => {
  const r = peer({op: 'canonize', document: {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: 'VerifiableCredential', credentialSubject: {undefinedTerm: 1}}});
  assert.match(r.error, /undefinedTerm/);
});

test('W3C vc-di-eddsa vectors', {skip: !existsSync(VECTORS)}, () => {
  const kp = json(join(VECTORS, 'keyPair.json'));
  const unsigned = json(join(VECTORS, 'unsigned.json'));
  const rdfc = json(join(VECTORS, 'eddsa-rdfc-2022', 'signedDataInt.json'));
  const jcs = json(join(VECTORS, 'eddsa-jcs-2022', 'signedJCS.json'));
  const [canon, v1, v2, s1, s2] = peer({op: 'batch', requests: [
    {op: 'canonize', document: unsigned},
    {op: 'verify', document: rdfc, issuerCheck: false},
    {op: 'verify', document: jcs, issuerCheck: false},
    ...[[rdfc, 'eddsa-rdfc-2022'], [jcs, 'eddsa-jcs-2022']].map(
      ([signed, cryptosuite]) => ({
        op: 'sign', document: unsigned, cryptosuite, key: kp,
        verificationMethod: signed.proof.verificationMethod,
        created: signed.proof.created,
      })),
  ]}).responses;
  assert.equal(canon.nquads, readFileSync(
    join(VECTORS, 'eddsa-rdfc-2022', 'canonDocDataInt.txt'), 'utf8'));
  assert.equal(v1.verified, true, JSON.stringify(v1));
  assert.equal(v2.verified, true, JSON.stringify(v2));
  assert.equal(s1.document.proof.proofValue, rdfc.proof.proofValue);
  assert.equal(s2.document.proof.proofValue, jcs.proof.proofValue);
});
