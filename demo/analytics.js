/*
 * Demo "analytics" for QA: a stand-in for Google Analytics (ga.js) that never leaves localhost.
 * The page loads it only through the gate (<script type="text/plain" data-oph-category="analytics">),
 * so it must run only after the visitor consents to the "analytics" category.
 *
 * It sets the analytics cookies that OPH31's cookie policy publishes, under their published names
 * and with the published lifetimes, with values shaped like ga.js's.
 */
(function () {
  'use strict';

  var MINUTE = 60;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;

  /** ga.js's domain hash, so the values look like the real thing. */
  function domainHash(domain) {
    var h = 1;
    var c;
    if (domain) {
      h = 0;
      for (var i = domain.length - 1; i >= 0; i--) {
        c = domain.charCodeAt(i);
        h = ((h << 6) & 268435455) + c + (c << 14);
        c = h & 266338304;
        h = c !== 0 ? h ^ (c >> 21) : h;
      }
    }
    return h;
  }

  function setCookie(name, value, maxAgeSeconds) {
    var cookie = name + '=' + value + '; Path=/; SameSite=Lax';
    if (maxAgeSeconds !== undefined) cookie += '; Max-Age=' + maxAgeSeconds;
    if (location.protocol === 'https:') cookie += '; Secure';
    document.cookie = cookie;
  }

  var hash = domainHash(location.hostname);
  var visitor = crypto.getRandomValues(new Uint32Array(1))[0] & 0x7fffffff;
  var now = Math.floor(Date.now() / 1000);

  // Name, value, lifetime (seconds; undefined = session), as published by OPH31.
  var cookies = [
    ['_utma', [hash, visitor, now, now, now, 1].join('.'), 2 * 365 * DAY], // 2 ans
    ['_utmb', [hash, 1, 10, now].join('.'), HOUR], // 1 h
    ['_utmc', String(hash), undefined], // jusqu'à la fermeture du navigateur
    ['_utmt', '1', 10 * MINUTE], // 10 min
    ['_utmv', hash + '.|1=profil=locataire=1', undefined], // jusqu'à la fermeture du navigateur
    ['_utmz', hash + '.' + now + '.1.1.utmcsr=(direct)|utmccn=(direct)|utmcmd=(none)', 183 * DAY], // 6 mois
  ];
  for (var i = 0; i < cookies.length; i++) setCookie(cookies[i][0], cookies[i][1], cookies[i][2]);

  window.demoAnalyticsLoaded = true;
  (window.demoLog = window.demoLog || []).push({ script: 'analytics.js', at: new Date().toISOString() });
  document.dispatchEvent(
    new CustomEvent('demo-script-ran', {
      detail: { script: 'analytics.js', cookies: cookies.map(function (c) { return c[0]; }) },
    }),
  );
})();
