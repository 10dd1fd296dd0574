/** The catalog's fingerprint on the Node side (site bundle, audit, consent log), as the element computes it in the page. */
import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a catalog's exact text, without a byte-order mark: what a consent record carries as `catalogHash`. */
export const catalogHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
