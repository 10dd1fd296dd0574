/*
 * QA panel of demo/integrations.html. A classic script loaded with `defer`, after the drop-in bundle:
 * no inline handlers, no eval, no innerHTML, so the page runs under its strict CSP.
 *
 * It creates the <oph-consent> element itself: the page's catalog is an object (OPH31's catalog plus a
 * demo consentLogUrl) assigned to `el.catalog`. An <oph-consent> written in the HTML without any
 * catalog would report "no catalog" (an oph-consent-error) before this script's fetch had finished.
 */
(function () {
  'use strict';

  var CATALOG_URL = '/catalog/oph31.json';
  var CONSENT_LOG_URL = '/demo/consent-log';

  var el = null;
  var cookieList = document.getElementById('cookie-list');
  var cookieEmpty = document.getElementById('cookie-empty');
  var eventLog = document.getElementById('event-log');
  var dataLayerList = document.getElementById('datalayer-list');
  var dataLayerEmpty = document.getElementById('datalayer-empty');
  var consentLogTable = document.getElementById('consent-log-table');
  var consentLogRows = document.getElementById('consent-log-rows');
  var consentLogEmpty = document.getElementById('consent-log-empty');
  var consentLogStatus = document.getElementById('consent-log-status');
  var catalogStatus = document.getElementById('catalog-status');
  var lateList = document.getElementById('late-list');
  var lateStatus = document.getElementById('late-status');
  var gpcStatus = document.getElementById('gpc-status');
  var reloadBox = document.getElementById('reload-on-withdrawal');

  // ---- rendering (textContent only) ------------------------------------------------------------

  var clock = window.demoQA.clock;
  var json = window.demoQA.json;
  var log = window.demoQA.eventLog(eventLog);
  var renderCookies = window.demoQA.cookieView(cookieList, cookieEmpty);

  // ---- 1. window.dataLayer ---------------------------------------------------------------------

  /** `gtag("consent", "update", {…})` for an arguments object (what gtag() pushes), JSON for anything else. */
  function describeEntry(entry) {
    if (Object.prototype.toString.call(entry) === '[object Arguments]') {
      return 'gtag(' + Array.prototype.map.call(entry, json).join(', ') + ')';
    }
    return json(entry);
  }

  var shownDataLayer = null;
  function renderDataLayer() {
    var entries = Array.isArray(window.dataLayer) ? window.dataLayer : [];
    var lines = entries.map(describeEntry);
    var text = lines.join('\n');
    if (text === shownDataLayer) return;
    shownDataLayer = text;
    var items = lines.map(function (line, i) {
      var item = document.createElement('li');
      item.textContent = i + 1 + '. ' + line;
      if (/^\{"event":"demo_/.test(line)) item.className = 'dl-tag';
      return item;
    });
    dataLayerList.replaceChildren.apply(dataLayerList, items);
    dataLayerEmpty.hidden = items.length > 0;
  }

  // ---- 2. the consent log ----------------------------------------------------------------------

  var shownRecords = null;
  function renderRecords(entries) {
    var text = json(entries);
    if (text === shownRecords) return;
    shownRecords = text;
    var rows = entries
      .slice()
      .reverse()
      .map(function (entry) {
        var r = entry.record || {};
        var row = document.createElement('tr');
        var at = r.decidedAt ? new Date(r.decidedAt) : new Date(entry.receivedAt);
        [isNaN(at) ? '?' : clock(at), r.state, r.method, json(r.choices), r.id].forEach(function (value) {
          var cell = document.createElement('td');
          cell.textContent = value === undefined ? '—' : String(value);
          row.append(cell);
        });
        if (r.state === 'withdrawn') row.className = 'withdrawn';
        return row;
      });
    consentLogRows.replaceChildren.apply(consentLogRows, rows);
    consentLogTable.hidden = rows.length === 0;
    consentLogEmpty.hidden = rows.length > 0;
  }

  var polling = false;
  function pollConsentLog() {
    if (polling) return;
    polling = true;
    fetch(CONSENT_LOG_URL, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('GET ' + CONSENT_LOG_URL + ' : HTTP ' + response.status);
        return response.json();
      })
      .then(function (entries) {
        renderRecords(Array.isArray(entries) ? entries : []);
        consentLogStatus.textContent = '';
      })
      .catch(function (e) {
        consentLogStatus.textContent = 'Journal illisible : ' + String((e && e.message) || e) + ' (lancez la page avec npm start).';
      })
      .then(function () {
        polling = false;
      });
  }

  // ---- 4. content added later ------------------------------------------------------------------

  var added = 0;
  function renderLate() {
    lateStatus.textContent = 'Ajouts : ' + added + ' · late.js exécuté : ' + (window.demoLateRuns || 0) + ' fois';
  }

  /** What a single-page app does: new gated elements, created at run time, never written as HTML. */
  function addLateContent() {
    added++;
    var box = document.createElement('div');
    box.className = 'late-item';
    var title = document.createElement('p');
    title.className = 'late-heading';
    title.textContent = 'Ajout n° ' + added + ' (' + clock() + ')';
    var frame = document.createElement('iframe');
    frame.className = 'demo-frame';
    frame.title = 'Tableau de bord statistiques (démo), ajout n° ' + added;
    frame.dataset.ophCategory = 'analytics';
    frame.dataset.src = '/demo/frame.html';
    var script = document.createElement('script');
    script.type = 'text/plain';
    script.dataset.ophCategory = 'analytics';
    script.setAttribute('src', '/demo/late.js');
    box.append(title, frame, script);
    lateList.append(box);
    log('demo: contenu ajouté n° ' + added, { script: '/demo/late.js', iframe: '/demo/frame.html', category: 'analytics' }, 'demo');
    renderLate();
  }

  // ---- 5. Global Privacy Control ---------------------------------------------------------------

  function renderGpc() {
    var value = navigator.globalPrivacyControl;
    var simulated = document.documentElement.classList.contains('gpc-simulated');
    gpcStatus.textContent =
      'navigator.globalPrivacyControl : ' + String(value) + (simulated ? ' (simulé par /demo/gpc-sim.js)' : value === true ? ' (envoyé par le navigateur)' : '');
  }

  // ---- everything the page shows ---------------------------------------------------------------

  function refresh() {
    renderCookies();
    renderDataLayer();
    renderLate();
  }

  // ---- what the element reports ----------------------------------------------------------------

  window.demoQA.followElement(log, function (type) {
    refresh();
    // The beacon is on its way: read the log again a little sooner than the next tick.
    if (type === 'oph-consent-change') setTimeout(pollConsentLog, 200);
  });

  // Sent by the gated scripts (demo/analytics.js, the inline tag, demo/late.js) when they run.
  document.addEventListener('demo-script-ran', function (event) {
    log(event.detail.script + ' ran', event.detail, 'script');
    refresh();
  });

  // Anything the page's Content-Security-Policy blocks is a bug of the page: show it.
  document.addEventListener('securitypolicyviolation', function (event) {
    log('CSP violation', { directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample, source: event.sourceFile }, 'error');
  });

  // ---- what QA can do --------------------------------------------------------------------------

  /** Runs a QA action once the element exists; logs any failure instead of throwing. */
  var action = window.demoQA.actions(
    function () {
      return el;
    },
    log,
    refresh,
    "<oph-consent> n'est pas encore créé (catalogue en cours de chargement, ou bundle absent : npm run build)",
  );

  document.getElementById('forget').addEventListener(
    'click',
    action('reset', function () {
      log('demo: el.reset()', undefined, 'demo');
      return el.reset();
    }),
  );

  function applyReloadOption() {
    if (el) el.toggleAttribute('reload-on-withdrawal', reloadBox.checked);
  }
  reloadBox.addEventListener('change', function () {
    applyReloadOption();
    log('demo: reload-on-withdrawal', { attribute: reloadBox.checked }, 'demo');
  });

  document.getElementById('add-late').addEventListener('click', addLateContent);

  // ---- start: the catalog object, then the element ---------------------------------------------

  function createElement(catalog) {
    if (!customElements.get('oph-consent')) {
      throw new Error('<oph-consent> is not defined: was /dist/oph-consent.min.js built (npm run build)?');
    }
    el = document.createElement('oph-consent');
    el.setAttribute('floating-button', '');
    applyReloadOption();
    el.catalog = catalog;
    document.body.prepend(el);
  }

  var navigation = performance.getEntriesByType('navigation')[0];
  if (navigation && navigation.type === 'reload') log('demo: page rechargée', { navigation: 'reload', url: location.pathname + location.search }, 'demo');

  fetch(CATALOG_URL, { cache: 'no-store' })
    .then(function (response) {
      if (!response.ok) throw new Error(CATALOG_URL + ' : HTTP ' + response.status);
      return response.json();
    })
    .then(function (catalog) {
      catalog.consentLogUrl = CONSENT_LOG_URL;
      createElement(catalog);
      catalogStatus.textContent = 'Catalogue chargé, révision ' + catalog.revision + ', consentLogUrl : ' + CONSENT_LOG_URL + '.';
      log('demo: el.catalog = { …oph31.json, consentLogUrl: "' + CONSENT_LOG_URL + '" }', { revision: catalog.revision }, 'demo');
    })
    .catch(function (e) {
      catalogStatus.textContent = 'Échec : ' + String((e && e.message) || e);
      log('demo: catalogue', { error: String((e && e.message) || e) }, 'error');
    })
    .then(refresh);

  renderGpc();
  refresh();
  pollConsentLog();
  setInterval(function () {
    renderCookies();
    renderDataLayer();
  }, 500);
  setInterval(pollConsentLog, 1000);
})();
