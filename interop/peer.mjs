#!/usr/bin/env node
// Interop peer: Digital Bazaar's vc-js stack behind a one-shot JSON protocol.
//
// The Rust interop tests start `node interop/peer.mjs`, write ONE JSON request
// to stdin, close it, and read ONE JSON response (one line) from stdout. See
// interop/README.md for the protocol. Everything is offline: contexts and
// did:key documents come from ./loader.mjs and nothing is fetched.
//
// Exit status: 0 when a response was written (an operation that failed still
// answers `{"error": "..."}` and exits 0); 2 when stdin is not a JSON object.

import jsonld from 'jsonld';
import jsigs from 'jsonld-signatures';
import * as vc from '@digitalbazaar/vc';
import * as base58btc from 'base58-universal';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as eddsaJcs2022 from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import * as bitstringStatusList from '@digitalbazaar/vc-bitstring-status-list';
import {realpathSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {loaderWith} from './loader.mjs';

const {AssertionProofPurpose, AuthenticationProofPurpose} = jsigs.purposes;

export const CRYPTOSUITES = ['eddsa-rdfc-2022', 'eddsa-jcs-2022'];
const LEGACY_SUITE = 'Ed25519Signature2020';

// multicodec varints: ed25519-pub 0xed, ed25519-priv 0x1300
const ED25519_PUB_HEADER = [0xed, 0x01];
const ED25519_PRIV_HEADER = [0x80, 0x26];

/** Options the eddsa-rdfc-2022 cryptosuite itself canonizes with. */
const CANONIZE_OPTIONS = Object.freeze({
  algorithm: 'RDFC-1.0',
  format: 'application/n-quads',
  safe: true,
  base: null,
  rdfDirection: 'i18n-datatype',
});

/**
 * Handles one request object and returns its response object. Never throws:
 * failures become `{error}`.
 *
 * @param {object} request - The request.
 * @param {object} [opts] - Internal options.
 * @returns {Promise<object>} The response.
 */
export async function handle(request, {nested = false} = {}) {
  try {
    if(!isObject(request)) {
      throw new TypeError('request must be a JSON object');
    }
    switch(request.op) {
      case 'canonize':
        return await canonize(request);
      case 'sign':
        return await sign(request);
      case 'verify':
        return await verify(request);
      case 'statusRead':
        return await statusRead(request);
      case 'statusCreate':
        return await statusCreate(request);
      case 'batch':
        if(nested) {
          throw new Error('"batch" requests cannot be nested');
        }
        return await batch(request);
      case 'versions':
        return await versions();
      default:
        throw new Error(
          `unknown op ${JSON.stringify(request.op)}; expected one of ` +
          '"canonize", "sign", "verify", "statusRead", "statusCreate", ' +
          '"batch", "versions"');
    }
  } catch(e) {
    return {error: errorMessages(e).join('; ')};
  }
}

async function canonize({document, rdfDirection, documents}) {
  requireObject(document, 'document');
  const documentLoader = loaderWith(documents);
  const options = {...CANONIZE_OPTIONS, documentLoader};
  if(rdfDirection !== undefined) {
    // null gives jsonld.js's own default, under which safe mode rejects any
    // @direction; the cryptosuite uses 'i18n-datatype'.
    options.rdfDirection = rdfDirection;
  }
  const nquads = await jsonld.canonize(clone(document), options);
  return {nquads};
}

async function sign(request) {
  const {
    document, cryptosuite, key, created, challenge, domain
  } = request;
  requireObject(document, 'document');
  const documentLoader = loaderWith(request.documents);
  const proofPurpose = request.proofPurpose ?? 'assertionMethod';
  if(![...CRYPTOSUITES, LEGACY_SUITE].includes(cryptosuite)) {
    throw new Error(
      `"cryptosuite" must be one of ${JSON.stringify(CRYPTOSUITES)} (or ` +
      `"${LEGACY_SUITE}"), got ${JSON.stringify(cryptosuite)}`);
  }
  if(!['assertionMethod', 'authentication'].includes(proofPurpose)) {
    throw new Error(
      '"proofPurpose" must be "assertionMethod" or "authentication", got ' +
      JSON.stringify(proofPurpose));
  }
  for(const [name, value] of Object.entries({created, challenge, domain})) {
    if(value !== undefined && value !== null && typeof value !== 'string') {
      throw new TypeError(`"${name}" must be a string`);
    }
  }
  if(proofPurpose === 'authentication' && typeof challenge !== 'string') {
    throw new TypeError(
      '"challenge" (a string) is required for the authentication purpose');
  }

  const keyPair = await importSigningKey(key, request.verificationMethod);
  const signer = keyPair.signer();
  // No `created` unless the caller gives one: output must be deterministic.
  const date = created ?? null;

  let suite;
  if(cryptosuite === 'eddsa-rdfc-2022') {
    suite = new DataIntegrityProof({signer, date, cryptosuite: eddsaRdfc2022});
  } else if(cryptosuite === 'eddsa-jcs-2022') {
    suite = new DataIntegrityProof({
      signer, date, cryptosuite: eddsaJcs2022.createSignCryptosuite()
    });
  } else {
    if(date === null) {
      throw new Error(`"created" is required for ${LEGACY_SUITE}`);
    }
    suite = new Ed25519Signature2020({signer, date});
  }
  if(proofPurpose === 'assertionMethod' &&
    (challenge != null || domain != null)) {
    // Data Integrity allows challenge/domain on any proof; the purpose only
    // adds them for authentication, so pass them as proof options.
    suite.proof = {
      ...(challenge != null ? {challenge} : {}),
      ...(domain != null ? {domain} : {}),
    };
  }

  const doc = clone(document);
  const types = jsonld.getValues(doc, 'type');
  let signed;
  if(proofPurpose === 'assertionMethod' &&
    types.includes('VerifiableCredential')) {
    if(isV1(doc) && !doc.issuanceDate) {
      // vc.issue would stamp the current time: refuse, to stay deterministic.
      throw new Error('a VC 1.1 credential needs "issuanceDate" to be signed');
    }
    signed = await vc.issue({credential: doc, suite, documentLoader});
  } else if(proofPurpose === 'authentication' &&
    types.includes('VerifiablePresentation')) {
    signed = await vc.signPresentation({
      presentation: doc, suite, documentLoader, challenge,
      ...(domain != null ? {domain} : {})
    });
  } else if(proofPurpose === 'authentication') {
    signed = await jsigs.sign(doc, {
      suite, documentLoader,
      purpose: new AuthenticationProofPurpose({
        challenge, ...(domain != null ? {domain} : {})
      })
    });
  } else {
    signed = await jsigs.sign(doc, {
      suite, documentLoader, purpose: new AssertionProofPurpose()
    });
  }
  return {document: signed};
}

async function verify(request) {
  const {document, now} = request;
  requireObject(document, 'document');
  const documentLoader = loaderWith(request.documents);
  const doc = clone(document);
  const suite = [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new DataIntegrityProof({
      cryptosuite: eddsaJcs2022.createVerifyCryptosuite()
    }),
    new Ed25519Signature2020(),
  ];
  const warnings = [];
  // Status is not part of proof interop and a status list cannot be fetched
  // offline; vc-js refuses credentials with credentialStatus unless given a
  // checkStatus, so this one reports "not checked" as a warning.
  const checkStatus = async ({credential}) => {
    warnings.push(
      `credentialStatus of ${credential.id ?? 'credential'} not checked ` +
      '(offline peer)');
    return {verified: true};
  };
  // issuerCheck:false verifies credential proofs with a plain assertionMethod
  // purpose, for vectors whose issuer is not the key's controller (the W3C
  // vc-di-eddsa vectors use issuer https://vc.example/issuers/5678). In a
  // presentation it applies to the embedded credentials.
  const purpose = request.issuerCheck === false ?
    new AssertionProofPurpose() : undefined;
  const common = {
    suite, documentLoader, checkStatus,
    ...(now != null ? {now} : {}),
    ...(purpose ? {purpose} : {}),
  };

  let result;
  const types = jsonld.getValues(doc, 'type');
  if(types.includes('VerifiablePresentation')) {
    const {domain} = request;
    let {challenge} = request;
    if(challenge == null) {
      // Not given: check the proof against its own challenge, so that at
      // least its signature and controller are verified.
      const [proof] = jsonld.getValues(doc, 'proof');
      challenge = proof?.challenge;
    }
    result = await vc.verify({
      ...common, presentation: doc, challenge,
      ...(domain != null ? {domain} : {})
    });
  } else {
    result = await vc.verifyCredential({...common, credential: doc});
  }
  const verified = result.verified === true;
  const errors = verified ? [] : unique(collectErrors(result));
  if(!verified && errors.length === 0) {
    errors.push('not verified (no error reported)');
  }
  const response = {verified, errors};
  if(warnings.length > 0) {
    response.warnings = unique(warnings);
  }
  return response;
}

/**
 * Reads bits of a BitstringStatusListCredential with the library's
 * decodeList. Neither the proof nor the issuer is checked here: `verify` does
 * the proof, and this op answers only "what does the list say".
 *
 * @param {object} request - {credential, indexes}.
 * @returns {Promise<object>} {bits: {index: 0|1}, length}.
 */
async function statusRead({credential, indexes}) {
  requireObject(credential, 'credential');
  if(!jsonld.getValues(credential, 'type')
    .includes('BitstringStatusListCredential')) {
    throw new Error(
      '"credential.type" must include "BitstringStatusListCredential"');
  }
  const subject = credential.credentialSubject;
  requireObject(subject, 'credential.credentialSubject');
  if(typeof subject.encodedList !== 'string') {
    throw new TypeError(
      '"credential.credentialSubject.encodedList" must be a string');
  }
  if(!Array.isArray(indexes)) {
    throw new TypeError('"indexes" must be an array');
  }
  const list = await bitstringStatusList.decodeList(
    {encodedList: subject.encodedList});
  const bits = {};
  for(const index of indexes) {
    // statusListIndex is a base-10 string in credentials; take either form.
    const position = statusIndex(index, 'indexes[]');
    bits[position] = list.getStatus(position) ? 1 : 0;
  }
  return {bits, length: list.length};
}

/**
 * Builds a BitstringStatusListCredential with the library's createList and
 * createCredential (VC 2.0 context), sets the given bits, adds the issuer and
 * signs it with eddsa-rdfc-2022 through `sign`.
 *
 * @param {object} request - {id, issuer, statusPurpose, length, set, key,
 *   verificationMethod?, created?}.
 * @returns {Promise<object>} {document: signed list credential}.
 */
async function statusCreate(request) {
  const {id, issuer, statusPurpose, length, set = []} = request;
  if(!(typeof issuer === 'string' ||
    (isObject(issuer) && typeof issuer.id === 'string'))) {
    throw new TypeError(
      '"issuer" must be a string or an object with a string "id"');
  }
  if(!Array.isArray(set)) {
    throw new TypeError('"set" must be an array');
  }
  // createList and setStatus check length and positions themselves.
  const list = await bitstringStatusList.createList({length});
  for(const index of set) {
    list.setStatus(statusIndex(index, 'set[]'), true);
  }
  const {
    '@context': context, id: listId, type, credentialSubject
  } = await bitstringStatusList.createCredential({
    id, list, statusPurpose,
    context: [...bitstringStatusList.VC_BSL_VC_V2_CONTEXT],
  });
  const document = {
    '@context': context, id: listId, type, issuer, credentialSubject
  };
  return sign({
    document, cryptosuite: 'eddsa-rdfc-2022', key: request.key,
    verificationMethod: request.verificationMethod,
    created: request.created, documents: request.documents,
  });
}

function statusIndex(value, name) {
  if(typeof value === 'string' && /^(0|[1-9][0-9]*)$/.test(value)) {
    value = Number(value);
  }
  if(!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(
      `"${name}" must be a non-negative integer (or its base-10 string), ` +
      `got ${JSON.stringify(value)}`);
  }
  return value;
}

async function batch({requests}) {
  if(!Array.isArray(requests)) {
    throw new TypeError('"requests" must be an array');
  }
  const responses = [];
  // One at a time, in order: responses[i] answers requests[i].
  for(const r of requests) {
    responses.push(await handle(r, {nested: true}));
  }
  return {responses};
}

async function versions() {
  const {createRequire} = await import('node:module');
  const require = createRequire(import.meta.url);
  const names = [
    'jsonld', 'rdf-canonize', 'jsonld-signatures', '@digitalbazaar/vc',
    '@digitalbazaar/data-integrity',
    '@digitalbazaar/eddsa-rdfc-2022-cryptosuite',
    '@digitalbazaar/eddsa-jcs-2022-cryptosuite',
    '@digitalbazaar/ed25519-multikey',
    '@digitalbazaar/ed25519-signature-2020',
    '@digitalbazaar/ed25519-verification-key-2020',
    '@digitalbazaar/vc-bitstring-status-list',
  ];
  const {readFileSync} = await import('node:fs');
  const {join, dirname} = await import('node:path');
  const out = {node: process.versions.node};
  for(const name of names) {
    // Walk up from the resolved entry to the package's own package.json.
    let dir = dirname(require.resolve(name));
    for(;;) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if(pkg.name === name) {
          out[name] = pkg.version;
          break;
        }
      } catch {}
      const up = dirname(dir);
      if(up === dir) {
        break;
      }
      dir = up;
    }
  }
  return {versions: out};
}

/**
 * Imports the signing key, refusing a secret key that is not a Multikey
 * ed25519 secret (0x1300 + 32-byte seed), that does not belong to the public
 * key, or a did:key verification method that names another key.
 *
 * @param {object} key - {publicKeyMultibase, secretKeyMultibase}.
 * @param {string} [verificationMethod] - Defaults to the key's did:key.
 * @returns {Promise<object>} An Ed25519Multikey key pair.
 */
async function importSigningKey(key, verificationMethod) {
  requireObject(key, 'key');
  const {publicKeyMultibase} = key;
  // keyPair.json in the W3C vectors spells it privateKeyMultibase.
  const secretKeyMultibase = key.secretKeyMultibase ?? key.privateKeyMultibase;
  decodeMultibaseKey(
    publicKeyMultibase, 'key.publicKeyMultibase', ED25519_PUB_HEADER);
  const seed = decodeMultibaseKey(
    secretKeyMultibase, 'key.secretKeyMultibase', ED25519_PRIV_HEADER);
  const derived = await Ed25519Multikey.generate({seed});
  if(derived.publicKeyMultibase !== publicKeyMultibase) {
    throw new Error(
      'key.secretKeyMultibase does not belong to key.publicKeyMultibase ' +
      `(it derives ${derived.publicKeyMultibase})`);
  }
  const vm = verificationMethod ??
    `did:key:${publicKeyMultibase}#${publicKeyMultibase}`;
  if(typeof vm !== 'string' || vm.length === 0) {
    throw new TypeError('"verificationMethod" must be a non-empty string');
  }
  if(vm.startsWith('did:key:')) {
    const fingerprint = vm.slice('did:key:'.length).split('#')[0];
    if(fingerprint !== publicKeyMultibase) {
      throw new Error(
        `verification method "${vm}" does not match the key ` +
        `${publicKeyMultibase}`);
    }
  }
  const controller = vm.split('#')[0];
  return Ed25519Multikey.from({
    id: vm, controller, publicKeyMultibase, secretKeyMultibase
  });
}

function decodeMultibaseKey(value, name, header) {
  if(typeof value !== 'string' || !value.startsWith('z')) {
    throw new TypeError(`"${name}" must be a base58btc multibase string`);
  }
  let bytes;
  try {
    bytes = base58btc.decode(value.slice(1));
  } catch(e) {
    throw new TypeError(`"${name}" is not valid base58btc: ${e.message}`);
  }
  if(!bytes || bytes.length !== header.length + 32 ||
    bytes[0] !== header[0] || bytes[1] !== header[1]) {
    const hex = header.map(b => b.toString(16).padStart(2, '0')).join('');
    throw new TypeError(
      `"${name}" must be multicodec 0x${hex} + 32 bytes`);
  }
  return bytes.slice(header.length);
}

function isV1(doc) {
  const ctx = doc['@context'];
  const first = Array.isArray(ctx) ? ctx[0] : ctx;
  return first === 'https://www.w3.org/2018/credentials/v1';
}

/**
 * Every error in a vc-js / jsigs result, as readable strings. Errors from a
 * presentation's embedded credentials are prefixed with which credential.
 *
 * @param {object} result - A verify result.
 * @returns {string[]} Messages.
 */
function collectErrors(result) {
  const out = [];
  const seen = new Set();
  const walk = (value, prefix) => {
    if(!value || typeof value !== 'object' || seen.has(value)) {
      return;
    }
    seen.add(value);
    if(Array.isArray(value)) {
      value.forEach(v => walk(v, prefix));
      return;
    }
    if(value instanceof Error || ('message' in value && 'name' in value)) {
      out.push(...errorMessages(value).map(m => prefix + m));
      return;
    }
    walk(value.presentationResult, prefix + 'presentation: ');
    (value.credentialResults ?? []).forEach((r, i) => walk(r,
      `${prefix}verifiableCredential[${i}]` +
      (r?.credentialId ? ` (${r.credentialId})` : '') + ': '));
    walk(value.error, prefix);
    walk(value.results, prefix);
    walk(value.statusResult, prefix + 'status: ');
    walk(value.purposeResult, prefix);
  };
  walk(result, '');
  return out;
}

/**
 * Flattens an error (VerificationError lists, `cause` chains and jsonld.js
 * `details`) into messages that name what failed.
 *
 * @param {Error|object} error - The error.
 * @returns {string[]} Messages.
 */
export function errorMessages(error) {
  if(error == null) {
    return ['unknown error'];
  }
  if(typeof error !== 'object') {
    return [String(error)];
  }
  if(Array.isArray(error.errors) && error.errors.length > 0) {
    return error.errors.flatMap(errorMessages);
  }
  const parts = [];
  const seen = new Set();
  let e = error;
  while(e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    let text = e.message || String(e);
    const details = e.details;
    if(details && typeof details === 'object') {
      const extra = [];
      if(details.code) {
        extra.push(`code: ${details.code}`);
      }
      if(details.url) {
        extra.push(`url: ${details.url}`);
      }
      const event = details.event;
      if(event && typeof event === 'object') {
        extra.push(`${event.code}: ${event.message}` +
          (event.details ? ` ${stableDetails(event.details)}` : ''));
      }
      if(extra.length > 0) {
        text += ` (${extra.join('; ')})`;
      }
    }
    parts.push(text);
    e = e.cause ?? details?.cause;
  }
  return [parts.join(' <- caused by: ')];
}

function stableDetails(details) {
  const picked = {};
  for(const k of ['property', 'type', 'iri', 'term', 'value', 'expandedIri',
    'expandedProperty']) {
    if(details[k] !== undefined) {
      picked[k] = details[k];
    }
  }
  try {
    return JSON.stringify(picked);
  } catch {
    return '';
  }
}

function unique(list) {
  return [...new Set(list)];
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function requireObject(value, name) {
  if(!isObject(value)) {
    throw new TypeError(`"${name}" must be a JSON object`);
  }
}

function clone(value) {
  return structuredClone(value);
}

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let request;
  try {
    request = JSON.parse(text);
  } catch(e) {
    process.stdout.write(JSON.stringify({
      error: `stdin is not JSON: ${e.message}`
    }) + '\n');
    process.exitCode = 2;
    return;
  }
  const response = await handle(request);
  process.stdout.write(JSON.stringify(response) + '\n');
}

// Run as a CLI only, so tests and bench.mjs can import `handle`.
if(process.argv[1] &&
  realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch(e => {
    process.stderr.write(`peer.mjs: ${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
