/**
 * The size budget of the drop-in script, checked on every test run (CI fails above it).
 * A consent banner loads on every page of every site: its weight is a feature.
 * Prints `size: N passed, N failed` so CI counts it with the tests.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Bytes of `dist/oph-consent.min.js` after gzip -9: all styles, both languages and Lit inside.
 * A ratchet: the measured size and a little room, lowered whenever the file shrinks (README, "Size").
 */
// 15,300 before issue #10: the headless controller (about 0.23 KB), the stricter catalog checks that match the
// published schema (about 0.07 KB), the consent log's delivery queue (#13, about 0.37 KB) and the site bundle's
// built-in catalog (#11, 0.04 KB) put it at 16,012. The returning visit's start-up without styles or render, and the
// consent log's queue read after the gated tags (#11, 0.05 KB), at 16,057; the visitor's text spacing on buttons
// (#14, WCAG 1.4.12, 15 bytes), at 16,072; the theme attribute of CONTRACT.md 6.4 (#14: light-dark() colours with
// a light fallback, 86 bytes), at 16,158. Issue #11's size work, behaviour unchanged (Lit's templates without the
// attribute quotes and end tags HTML does not need, a fourth terser pass, shorter equivalent code in core/ and the
// consent log), at 15,927. The phone layout, the panel's own scrolling body, switch states, forced colours, the first
// layer's third parties, French typography and the banner id cookie scanners look for (#14, about 0.46 KB), at
// 16,395; at most three third parties per purpose in the first layer (a 1,000-cookie catalog pushed the buttons
// off the screen; #14, 50 bytes), at 16,445. Private custom properties renamed to one letter at build time, no spaces
// in var() fallbacks, aria-checked bound to the boolean (-51), with the returning visit's earlier gate (#11), at 16,396;
// a site bundle's catalog read as built (checked and hashed at build time), at 16,395;
// the rest toward 14,000 is in ui/ and Lit (README, "Size").
export const BUDGET = 16_397;

const file = 'dist/oph-consent.min.js';
const code = readFileSync(file);
const gzip = gzipSync(code, { level: 9 }).length;
const ok = gzip <= BUDGET;
console.log(`${file}: ${code.length} bytes, ${gzip} bytes gzip -9 (budget ${BUDGET}, ${ok ? `${BUDGET - gzip} to spare` : `${gzip - BUDGET} over`})`);
console.log(`size: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exitCode = ok ? 0 : 1;
