/*
 * Added at run time by demo/integrations.js ("Ajouter du contenu (SPA)") as a gated external script:
 * <script type="text/plain" data-oph-category="analytics" src="/demo/late.js">. It must run only once
 * the visitor consents to "analytics", once per added element, and reports to the page's log.
 */
(function () {
  'use strict';

  window.demoLateRuns = (window.demoLateRuns || 0) + 1;
  (window.demoLog = window.demoLog || []).push({ script: 'late.js', at: new Date().toISOString() });
  document.dispatchEvent(new CustomEvent('demo-script-ran', { detail: { script: 'late.js', run: window.demoLateRuns } }));
})();
