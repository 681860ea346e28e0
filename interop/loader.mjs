// Offline JSON-LD document loader for the interop peer.
//
// Serves the pinned contexts bundled in `../contexts` (never the network) and
// resolves `did:key` Ed25519 DIDs and their verification methods locally.
// Anything else is refused with an error that names the URL, so a test that
// depends on an unbundled context fails loudly instead of silently fetching.
//
// URL -> file comes from `contexts/SOURCES.md` when it exists and names at
// least one bundled file; otherwise from BUILTIN_CONTEXTS below (which mirrors
// the canonical URLs in shared/conformance/MANIFEST.txt).

import {readFileSync, existsSync, readdirSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import * as base58btc from 'base58-universal';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Directory holding the bundled contexts (overridable for experiments). */
export const CONTEXTS_DIR = resolve(
  process.env.ACCOLADE_CONTEXTS_DIR || join(HERE, '..', 'contexts'));

export const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

// The 1EdTech validator's alternative text for the OB 3.0.3 URL. It is kept in
// contexts/ for comparison only and must never be served: the canonical text is
// ob-v3p0-context-3.0.3.json.
const NEVER_SERVE = new Set(['ob-v3p0-context-3.0.3.validator-variant.json']);

/** Canonical URL -> file name in CONTEXTS_DIR (from MANIFEST.txt). */
export const BUILTIN_CONTEXTS = Object.freeze({
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://www.w3.org/2018/credentials/v1': 'credentials-v1.jsonld',
  'https://www.w3.org/ns/credentials/examples/v2':
    'credentials-examples-v2.jsonld',
  'https://www.w3.org/2018/credentials/examples/v1':
    'credentials-examples-v1.jsonld',
  'https://www.w3.org/ns/credentials/undefined-terms/v2':
    'credentials-undefined-terms-v2.jsonld',
  'https://w3id.org/security/data-integrity/v2': 'data-integrity-v2.jsonld',
  'https://w3id.org/security/data-integrity/v1': 'data-integrity-v1.jsonld',
  'https://w3id.org/security/multikey/v1': 'multikey-v1.jsonld',
  'https://w3id.org/security/jwk/v1': 'jwk-v1.jsonld',
  'https://www.w3.org/ns/cid/v1': 'cid-v1.jsonld',
  'https://www.w3.org/ns/did/v1': 'did-v1.jsonld',
  'https://www.w3.org/ns/credentials/status/v1': 'credentials-status-v1.jsonld',
  'https://w3id.org/vc/status-list/2021/v1': 'vc-status-list-2021-v1.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json':
    'ob-v3p0-context-3.0.3.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json':
    'ob-v3p0-context-3.0.2.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json':
    'ob-v3p0-context-3.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context.json':
    'ob-v3p0-context.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json':
    'ob-v3p0-extensions.json',
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json':
    'clr-v2p0-context-2.0.1.json',
  'https://purl.imsglobal.org/spec/clr/v2p0/context.json':
    'clr-v2p0-context.json',
  'https://w3id.org/security/suites/ed25519-2020/v1': 'ed25519-2020-v1.jsonld',
  'https://www.w3.org/ns/odrl.jsonld': 'odrl.jsonld',
  'https://w3id.org/citizenship/v4rc1': 'citizenship-v4rc1.jsonld',
});

const URL_RE = /https?:\/\/[^\s|`<>()"'\]]+/g;
const FILE_RE = /[A-Za-z0-9][A-Za-z0-9._-]*\.(?:jsonld|json)\b/g;

/**
 * Reads `SOURCES.md` leniently: any line (table row, list item, prose) that
 * names exactly one http(s) URL and one file that exists in the contexts
 * directory is a mapping. URLs with a fragment (such as `#validator-variant`)
 * are alternatives, not addresses, and are skipped.
 *
 * @param {string} dir - The contexts directory.
 * @returns {Map<string,string>|null} URL -> file, or null if unusable.
 */
export function parseSources(dir = CONTEXTS_DIR) {
  const path = join(dir, 'SOURCES.md');
  if(!existsSync(path)) {
    return null;
  }
  const present = new Set(readdirSync(dir));
  const table = new Map();
  for(const line of readFileSync(path, 'utf8').split('\n')) {
    const urls = [...new Set(line.match(URL_RE) || [])]
      .map(u => u.replace(/[.,;:]+$/, ''));
    if(urls.length === 0) {
      continue;
    }
    // Look for file names only outside the URLs, since a URL such as
    // .../context-3.0.3.json would otherwise read as a file name.
    const rest = line.replace(URL_RE, ' ');
    const files = [...new Set((rest.match(FILE_RE) || [])
      .map(f => f.replace(/^contexts\//, ''))
      .filter(f => present.has(f)))];
    const addresses = urls.filter(u => !u.includes('#'));
    if(addresses.length !== 1 || files.length !== 1) {
      continue;
    }
    const [url] = addresses;
    const [file] = files;
    if(NEVER_SERVE.has(file)) {
      continue;
    }
    if(!table.has(url)) {
      table.set(url, file);
    }
  }
  return table.size > 0 ? table : null;
}

function buildTable() {
  const fromSources = parseSources();
  const table = fromSources ||
    new Map(Object.entries(BUILTIN_CONTEXTS));
  // Hard rule regardless of SOURCES.md: the plain 3.0.3 URL is the canonical
  // text, never the validator variant.
  const ob303 = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
  if(table.has(ob303)) {
    table.set(ob303, 'ob-v3p0-context-3.0.3.json');
  }
  return {table, source: fromSources ? 'SOURCES.md' : 'builtin'};
}

const {table: CONTEXT_FILES, source: TABLE_SOURCE} = buildTable();

/** Where the URL table came from: "SOURCES.md" or "builtin". */
export const contextTableSource = TABLE_SOURCE;

/** URL -> file name actually in use. */
export function contextTable() {
  return new Map(CONTEXT_FILES);
}

const parsed = new Map();

function loadContextFile(url) {
  let doc = parsed.get(url);
  if(doc === undefined) {
    const file = CONTEXT_FILES.get(url);
    const text = readFileSync(join(CONTEXTS_DIR, file), 'utf8');
    doc = JSON.parse(text);
    parsed.set(url, doc);
  }
  // jsonld.js may rewrite parts of a loaded context in place (it does for
  // the examples v1 context), so every caller gets its own copy.
  return structuredClone(doc);
}

/**
 * Builds the DID document for an Ed25519 `did:key`, with its one key as a
 * Multikey usable for both `assertionMethod` and `authentication`.
 *
 * @param {string} did - `did:key:z6Mk...`.
 * @returns {Promise<object>} The DID document.
 */
export async function didKeyDocument(did) {
  const method = await didKeyVerificationMethod(did);
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: did,
    verificationMethod: [method],
    assertionMethod: [method.id],
    authentication: [method.id],
  };
}

/**
 * The verification method `did:key:z..#z..` as a Multikey, without context.
 *
 * @param {string} did - `did:key:z6Mk...` (no fragment).
 * @returns {Promise<object>} The verification method.
 */
export async function didKeyVerificationMethod(did) {
  const fingerprint = did.slice('did:key:'.length);
  if(!/^z6Mk[1-9A-HJ-NP-Za-km-z]+$/.test(fingerprint)) {
    throw new Error(
      `Unsupported did:key "${did}": only Ed25519 keys (z6Mk...) are ` +
      'resolved offline.');
  }
  // Ed25519Multikey only strips the first two bytes, so check here that this is
  // a 32-byte key behind the ed25519-pub multicodec header (0xed 0x01).
  let bytes;
  try {
    bytes = base58btc.decode(fingerprint.slice(1));
  } catch {
    bytes = null;
  }
  if(!bytes || bytes.length !== 34 || bytes[0] !== 0xed || bytes[1] !== 0x01) {
    throw new Error(
      `Invalid Ed25519 did:key "${did}": not multicodec 0xed01 + 32 bytes.`);
  }
  await Ed25519Multikey.from({publicKeyMultibase: fingerprint, controller: did});
  return {
    id: `${did}#${fingerprint}`,
    type: 'Multikey',
    controller: did,
    publicKeyMultibase: fingerprint,
  };
}

/**
 * jsonld.js / jsonld-signatures document loader. Offline: bundled contexts and
 * did:key only.
 *
 * @param {string} url - The URL to load.
 * @returns {Promise<{contextUrl: null, documentUrl: string, document: object}>}
 */
export async function documentLoader(url) {
  if(typeof url !== 'string') {
    throw new TypeError(`documentLoader: URL must be a string, got ${url}`);
  }
  if(CONTEXT_FILES.has(url)) {
    return {contextUrl: null, documentUrl: url, document: loadContextFile(url)};
  }
  if(url.startsWith('did:key:')) {
    const [did, fragment, ...extra] = url.split('#');
    if(extra.length > 0) {
      throw new Error(`Invalid DID URL "${url}".`);
    }
    if(fragment === undefined) {
      return {contextUrl: null, documentUrl: url,
        document: await didKeyDocument(did)};
    }
    const method = await didKeyVerificationMethod(did);
    if(method.id !== url) {
      throw new Error(
        `Verification method "${url}" not found in "${did}" (expected ` +
        `"${method.id}").`);
    }
    return {contextUrl: null, documentUrl: url,
      document: {'@context': MULTIKEY_CONTEXT_V1, ...method}};
  }
  const error = new Error(
    `Document "${url}" is not bundled; the interop loader never fetches ` +
    `(bundled contexts: ${CONTEXTS_DIR}).`);
  error.name = 'jsonld.LoadDocumentError';
  error.details = {code: 'loading document failed', url};
  throw error;
}

/**
 * A loader that also serves caller-supplied documents (controller documents
 * for did:web or https verification methods, for example), so that tests can
 * verify such proofs without any fetch. Bundled contexts cannot be overridden:
 * a context URL always yields the bundled file. A URL with a fragment is
 * served as given, or else found by `id` inside the document for its base URL
 * (in verificationMethod, assertionMethod, authentication, ...), with that
 * document's @context.
 *
 * @param {object} documents - URL -> JSON document.
 * @returns {Function} A document loader.
 */
export function loaderWith(documents) {
  if(documents == null) {
    return documentLoader;
  }
  if(typeof documents !== 'object' || Array.isArray(documents)) {
    throw new TypeError('"documents" must be an object of URL -> document');
  }
  const extra = new Map(Object.entries(documents));
  for(const url of extra.keys()) {
    if(CONTEXT_FILES.has(url)) {
      throw new Error(
        `"documents" may not replace the bundled context "${url}"`);
    }
  }
  return async url => {
    if(!CONTEXT_FILES.has(url)) {
      if(extra.has(url)) {
        return {contextUrl: null, documentUrl: url,
          document: structuredClone(extra.get(url))};
      }
      const hash = typeof url === 'string' ? url.indexOf('#') : -1;
      if(hash > 0 && extra.has(url.slice(0, hash))) {
        const base = extra.get(url.slice(0, hash));
        const found = findById(base, url);
        if(found) {
          const context = found['@context'] ?? base['@context'];
          return {contextUrl: null, documentUrl: url,
            document: structuredClone({'@context': context, ...found})};
        }
        throw new Error(
          `Verification method "${url}" not found in the supplied document ` +
          `"${url.slice(0, hash)}".`);
      }
    }
    return documentLoader(url);
  };
}

const VM_PROPERTIES = [
  'verificationMethod', 'assertionMethod', 'authentication',
  'capabilityInvocation', 'capabilityDelegation', 'keyAgreement',
];

function findById(doc, id) {
  for(const prop of VM_PROPERTIES) {
    const values = doc[prop] === undefined ? [] : [].concat(doc[prop]);
    for(const v of values) {
      if(v && typeof v === 'object' && v.id === id) {
        return v;
      }
    }
  }
  return null;
}

export default documentLoader;
