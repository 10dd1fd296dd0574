/*
 * QA panel of the demo page. A classic script loaded with `defer`, after the drop-in bundle:
 * no inline handlers, no eval, no innerHTML, so the page runs under its strict CSP.
 */
(function () {
  'use strict';

  var el = document.querySelector('oph-consent');
  var cookieList = document.getElementById('cookie-list');
  var cookieEmpty = document.getElementById('cookie-empty');
  var ranList = document.getElementById('ran-list');
  var ranEmpty = document.getElementById('ran-empty');
  var eventLog = document.getElementById('event-log');
  var revisionStatus = document.getElementById('revision-status');
  var ANALYTICS_COOKIE = /^_{1,2}utm[a-z]$/;

  // ---- rendering (textContent only) ------------------------------------------------------------

  var log = window.demoQA.eventLog(eventLog);
  var renderCookies = window.demoQA.cookieView(cookieList, cookieEmpty);

  function renderRan() {
    var ran = Array.isArray(window.demoLog) ? window.demoLog : [];
    var items = ran.map(function (entry, i) {
      var item = document.createElement('li');
      var text = i + 1 + '. ' + entry.script;
      if (entry.script === 'inline') text += entry.afterAnalytics ? ' — après analytics.js : oui' : ' — après analytics.js : NON';
      if (entry.at) text += ' (' + entry.at.slice(11, 23) + ' UTC)';
      item.textContent = text;
      if (entry.script === 'inline' && !entry.afterAnalytics) item.className = 'bad';
      return item;
    });
    ranList.replaceChildren.apply(ranList, items);
    ranEmpty.hidden = items.length > 0;
  }

  function refresh() {
    renderCookies();
    renderRan();
  }

  // ---- what the element reports ----------------------------------------------------------------

  window.demoQA.followElement(log, refresh);

  // Sent by demo/analytics.js and the inline gated script when they run.
  document.addEventListener('demo-script-ran', function (event) {
    log('script ran: ' + event.detail.script, event.detail, 'script');
    refresh();
  });

  // ---- what QA can do --------------------------------------------------------------------------

  /** Runs a QA action once the element is defined; logs any failure instead of throwing. */
  var action = window.demoQA.actions(
    function () {
      return el;
    },
    log,
    refresh,
    '<oph-consent> is not defined: was /dist/oph-consent.min.js built (npm run build)?',
  );

  function deleteAnalyticsCookies() {
    var names = ['_utma', '_utmb', '_utmc', '_utmt', '_utmv', '_utmz'];
    document.cookie
      .split('; ')
      .map(function (pair) {
        return pair.split('=')[0];
      })
      .forEach(function (name) {
        if (ANALYTICS_COOKIE.test(name) && names.indexOf(name) < 0) names.push(name);
      });
    names.forEach(function (name) {
      document.cookie = name + '=; Max-Age=0; Path=/; SameSite=Lax';
    });
    return names;
  }

  document.getElementById('forget').addEventListener(
    'click',
    action('forget', function () {
      var deleted = deleteAnalyticsCookies();
      log('demo: Oublier mon choix', { reset: true, deletedCookies: deleted }, 'demo');
      return el.reset();
    }),
  );

  var langButtons = Array.prototype.slice.call(document.querySelectorAll('button.lang'));
  langButtons.forEach(function (button) {
    button.addEventListener('click', function () {
      var lang = button.dataset.lang;
      if (el) el.setAttribute('lang', lang);
      document.documentElement.lang = lang;
      langButtons.forEach(function (b) {
        b.setAttribute('aria-pressed', String(b === button));
      });
      log('demo: lang', { lang: lang }, 'demo');
    });
  });

  var raisedRevision = 0;
  document.getElementById('raise-revision').addEventListener(
    'click',
    action('raise revision', function () {
      return fetch('/catalog/oph31.json', { cache: 'no-store' })
        .then(function (response) {
          if (!response.ok) throw new Error('/catalog/oph31.json: HTTP ' + response.status);
          return response.json();
        })
        .then(function (catalog) {
          catalog.revision = Math.max(catalog.revision, raisedRevision) + 1;
          raisedRevision = catalog.revision;
          log('demo: el.catalog = { …, revision: ' + raisedRevision + ' }', { revision: raisedRevision }, 'demo');
          revisionStatus.textContent = 'Révision : ' + raisedRevision + ' (objet assigné à el.catalog)';
          el.catalog = catalog;
        });
    }),
  );

  // ---- "Notre politique des cookies": the cookie tables, generated from the catalog ------------

  var CATALOG_URL = '/catalog/oph31.json';
  var policyTables = document.getElementById('policy-tables');
  var RETENTION_WORDS = {
    session: 'Jusqu’à la fermeture du navigateur',
    unspecified: 'Non précisée',
    persistent: 'Permanente, sans durée précisée',
  };
  var RETENTION_UNITS = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  var ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;
  var unitFormats = {};

  /** A catalog text (a string, or `{ fr, en, … }`) in French. */
  function french(text) {
    if (text === undefined || text === null) return '';
    if (typeof text === 'string') return text;
    return text.fr || text[Object.keys(text)[0]] || '';
  }

  /** `P365D` → "365 jours", `P1Y2M` → "1 an et 2 mois", `session` → "Jusqu’à la fermeture du navigateur". */
  function retentionInWords(retention) {
    if (Object.prototype.hasOwnProperty.call(RETENTION_WORDS, retention)) return RETENTION_WORDS[retention];
    var match = ISO_DURATION.exec(String(retention));
    var parts = (match || []).slice(1).reduce(function (words, n, i) {
      if (!n) return words;
      var unit = RETENTION_UNITS[i];
      unitFormats[unit] = unitFormats[unit] || new Intl.NumberFormat('fr', { style: 'unit', unit: unit, unitDisplay: 'long' });
      return words.concat(unitFormats[unit].format(Number(n)));
    }, []);
    return parts.length ? new Intl.ListFormat('fr').format(parts) : String(retention);
  }

  function node(tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    if (className) element.className = className;
    return element;
  }

  /** One category: `<h3>`, description, and its cookies in a table (in a scrolling wrapper for narrow screens). */
  function categoryBlock(category, cookies) {
    var title = french(category.title);
    var heading = node('h3', title);
    heading.id = 'policy-category-' + category.id;
    var description = node('p', french(category.description));

    var table = node('table', undefined, 'cookie-table');
    var caption = node('caption', 'Cookies\u00a0: ' + title + ' (' + cookies.length + (cookies.length > 1 ? ' cookies)' : ' cookie)'));
    var headRow = document.createElement('tr');
    ['Nom du cookie', 'Finalité', 'Durée de conservation', 'Émetteur'].forEach(function (label) {
      var th = node('th', label);
      th.scope = 'col';
      headRow.append(th);
    });
    var thead = document.createElement('thead');
    thead.append(headRow);
    var tbody = document.createElement('tbody');
    cookies.forEach(function (cookie) {
      var row = document.createElement('tr');
      var name = node('th');
      name.scope = 'row';
      name.append(node('code', cookie.name));
      row.append(
        name,
        node('td', french(cookie.purpose)),
        node('td', retentionInWords(cookie.retention)),
        node('td', cookie.provider === undefined ? '—' : french(cookie.provider)),
      );
      tbody.append(row);
    });
    table.append(caption, thead, tbody);

    var scroller = node('div', undefined, 'cookie-table-scroll');
    scroller.tabIndex = 0;
    scroller.setAttribute('role', 'region');
    scroller.setAttribute('aria-label', 'Tableau des cookies\u00a0: ' + title);
    scroller.append(table);
    return [heading, description, scroller];
  }

  function renderPolicyTables(catalog) {
    if (!catalog || !Array.isArray(catalog.categories) || !Array.isArray(catalog.cookies)) {
      throw new Error(CATALOG_URL + ': no "categories" or "cookies" array');
    }
    var blocks = [];
    catalog.categories.forEach(function (category) {
      var cookies = catalog.cookies.filter(function (cookie) {
        return cookie.category === category.id;
      });
      blocks = blocks.concat(categoryBlock(category, cookies));
    });
    policyTables.replaceChildren.apply(policyTables, blocks);
  }

  function showPolicyError(error) {
    var message = node(
      'p',
      'Les tableaux des cookies n’ont pas pu être chargés depuis ' + CATALOG_URL + ' (' + String((error && error.message) || error) + ').',
      'policy-status bad',
    );
    message.setAttribute('role', 'alert');
    policyTables.replaceChildren(message);
    log('demo: tableaux des cookies', { error: String((error && error.message) || error) }, 'error');
  }

  if (policyTables) {
    fetch(CATALOG_URL)
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(renderPolicyTables)
      .catch(showPolicyError);
  }

  // ---- start -----------------------------------------------------------------------------------

  window.addEventListener('load', function () {
    if (!customElements.get('oph-consent')) {
      log('demo', { error: '<oph-consent> is not defined: was /dist/oph-consent.min.js built (npm run build)?' }, 'error');
    }
  });
  refresh();
  setInterval(renderCookies, 500);
})();
