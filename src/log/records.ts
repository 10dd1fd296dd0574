/**
 * What the consent log accepts: a record exactly as the element sends it, checked field by field
 * against the catalogs the server was given. Nothing of a body is trusted before it is checked
 * (CONTRACT.md §6.3, CNIL-18); the server adds its own `receivedAt` and never the visitor's IP.
 */
import { createHash } from 'node:crypto';
import { check, fail, object, oneOf, type Catalog } from '../core/catalog.js';
import { RECORD_FIELDS, type ConsentRecord } from '../core/record.js';

export const STATES = ['given', 'refused', 'withdrawn'] as const;
export type State = (typeof STATES)[number];

/** A record as received: the element's record and the state it computed (REC-02). */
export interface ReceivedRecord extends ConsentRecord {
  readonly state: State;
}

/** A record as stored: what was received, where the server's clock put it, and its place in the chain. */
export interface StoredRecord extends ReceivedRecord {
  readonly seq: number;
  readonly receivedAt: string;
  /** sha256(the previous row's chainHash ‖ this row's canonical JSON). */
  readonly chainHash: string;
}

/** A catalog the server was given, by the SHA-256 of its exact text (what the element hashes). */
export interface KnownCatalog {
  readonly hash: string;
  readonly text: string;
  readonly catalog: Catalog;
  readonly source: string;
}

const DAY_MS = 86_400_000;
/** Timestamps further than this from the server's clock are not a decision made just now. */
export const MAX_CLOCK_DISTANCE_MS = DAY_MS;
/** A millisecond rounding is all the element's arithmetic allows between decidedAt and expiresAt. */
const LIFETIME_TOLERANCE_MS = 1000;

export type Checked = { readonly record: ReceivedRecord } | { readonly status: 400 | 422; readonly reason: string };

const RECEIVED = object<ReceivedRecord>({ ...RECORD_FIELDS, state: oneOf(STATES, 'given, refused or withdrawn') }, true);

/** Parses and checks a body. Never throws: a refusal says the field and why. */
export function checkRecord(body: string, catalogs: ReadonlyMap<string, KnownCatalog>, now = Date.now()): Checked {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { status: 400, reason: 'not JSON' };
  }
  const [shaped, problems] = check(RECEIVED, value, (r) => {
    const decidedAt = Date.parse(r.decidedAt);
    const expiresAt = Date.parse(r.expiresAt);
    if (Number.isNaN(decidedAt)) fail('decidedAt', 'not a real date');
    else if (Math.abs(decidedAt - now) > MAX_CLOCK_DISTANCE_MS) fail('decidedAt', 'more than a day away from the server clock');
    if (Number.isNaN(expiresAt)) fail('expiresAt', 'not a real date');
    if (r.method === 'gpc' && !r.gpc) fail('gpc', 'a gpc decision without the gpc flag');
    if (r.method === 'sync') fail('method', 'sync is another tab applying a decision, never a decision of its own');
    if (r.state === 'withdrawn' && r.previousId === null) fail('state', 'withdrawn without an earlier decision');
    if (r.previousId === r.id) fail('previousId', 'the record itself');
  });
  if (!shaped) {
    const [{ path, reason }] = problems;
    return { status: 400, reason: path ? `${path}: ${reason}` : reason };
  }

  if (shaped.catalogHash === null) return { status: 422, reason: 'catalogHash: null (the page had no Web Crypto: serve it over https)' };
  const known = catalogs.get(shaped.catalogHash);
  if (!known) return { status: 422, reason: `catalogHash: no catalog given to this server has the hash ${shaped.catalogHash}` };
  if (known.catalog.revision !== shaped.revision) {
    return { status: 422, reason: `revision: ${shaped.revision}, but the catalog with this hash is revision ${known.catalog.revision}` };
  }
  const against = consistent(shaped, known.catalog);
  return against ? { status: 400, reason: against } : { record: shaped };
}

/** Whether the choices, the lifetime and the state agree with the catalog and the method. A reason, or null. */
function consistent(r: ReceivedRecord, catalog: Catalog): string | null {
  const ids = catalog.categories.map((c) => c.id);
  const extra = Object.keys(r.choices).find((id) => !ids.includes(id));
  if (extra !== undefined) return `choices.${extra.slice(0, 40)}: not a category of catalog revision ${catalog.revision}`;
  const missing = ids.find((id) => !Object.hasOwn(r.choices, id));
  if (missing !== undefined) return `choices.${missing}: missing`;
  const required = catalog.categories.find((c) => c.required && !r.choices[c.id]);
  if (required) return `choices.${required.id}: a required category cannot be refused`;

  const lifetime = Date.parse(r.expiresAt) - Date.parse(r.decidedAt);
  const days = catalog.consentCookie.days;
  if (Math.abs(lifetime - days * DAY_MS) > LIFETIME_TOLERANCE_MS) return `expiresAt: not ${days} days after decidedAt (the catalog's consent lifetime)`;

  const optional = catalog.categories.filter((c) => !c.required).map((c) => r.choices[c.id]);
  const granted = optional.some(Boolean);
  if (r.method === 'accept-all' && !optional.every(Boolean)) return 'choices: accept-all with a category refused';
  if (['reject-all', 'dismiss', 'gpc'].includes(r.method) && granted) return `choices: ${r.method} with a category granted`;
  if (r.state === 'given' ? !granted : granted) return `state: ${r.state} does not match the choices`;
  return null;
}

/** JSON with keys sorted at every level: the same record always gives the same text, hence the same hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash of the chain's start (no row before). */
export const GENESIS = '0'.repeat(64);

/** What a stored row's hash covers: every field of it but the hash itself. */
export function chainHash(previousHash: string, row: Omit<StoredRecord, 'chainHash'>): string {
  return createHash('sha256').update(previousHash).update(canonicalJson(row)).digest('hex');
}
