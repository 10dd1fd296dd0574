/*
 * Simulates the Global Privacy Control signal on demo/integrations.html?gpc=1, for browsers that do
 * not send it. Loaded (synchronously) BEFORE /dist/oph-consent.min.js, so the element reads
 * `navigator.globalPrivacyControl === true` from its very first look. Without `?gpc=1` it does nothing.
 */
(function () {
  'use strict';

  if (new URLSearchParams(location.search).get('gpc') !== '1') return;

  Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
  document.documentElement.classList.add('gpc-simulated');

  // A visible badge, so nobody mistakes this page for a plain one.
  function showBadge() {
    var badge = document.getElementById('gpc-badge');
    if (badge) badge.hidden = false;
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', showBadge, { once: true });
  else showBadge();
})();
