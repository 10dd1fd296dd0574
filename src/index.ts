/**
 * Public entry: registers `<oph-consent>` (once: a second copy of the script is a no-op) and
 * exports the element and the plain modules' public pieces.
 */
import { OphConsent } from './ui/oph-consent.js';

if (!customElements.get('oph-consent')) customElements.define('oph-consent', OphConsent);

export { OphConsent };
export type { ChangeDetail, ErrorCode, ErrorDetail, ReadyDetail } from './ui/oph-consent.js';
export { CatalogError, validateCatalog, type Catalog, type Category, type CookieInfo, type Text } from './core/catalog.js';
export type { Consent, ConsentRecord, Method } from './core/record.js';
