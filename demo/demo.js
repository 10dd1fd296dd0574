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
  var MAX_LOG_ENTRIES = 300;
  var ANALYTICS_COOKIE = /^_{1,2}utm[a-z]$/;

  // ---- rendering (textContent only) ------------------------------------------------------------

  function pad(n, width) {
    return String(n).padStart(width || 2, '0');
  }
  function clock() {
    var d = new Date();
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }
  function json(value) {
    try {
      return JSON.stringify(value);
    } catch (e) {
      return String(value);
    }
  }

  /** One line of the event log: time, type, JSON detail. `kind` is `event`, `script` or `demo`. */
  function log(type, detail, kind) {
    var item = document.createElement('li');
    item.className = 'log-' + (kind || 'event');
    var time = document.createElement('span');
    time.className = 'time';
    time.textContent = clock();
    var name = document.createElement('span');
    name.className = 'type';
    name.textContent = type;
    var body = document.createElement('code');
    body.className = 'detail';
    body.textContent = detail === undefined ? '' : json(detail);
    item.append(time, ' ', name, ' ', body);
    eventLog.append(item);
    while (eventLog.childElementCount > MAX_LOG_ENTRIES) eventLog.firstElementChild.remove();
    eventLog.scrollTop = eventLog.scrollHeight;
  }

  var shownCookies = null;
  function renderCookies() {
    var all = document.cookie;
    if (all === shownCookies) return;
    shownCookies = all;
    var items = all
      .split('; ')
      .filter(Boolean)
      .map(function (pair) {
        var eq = pair.indexOf('=');
        var item = document.createElement('li');
        var name = document.createElement('span');
        name.className = 'name';
        name.textContent = eq < 0 ? pair : pair.slice(0, eq);
        item.append(name, eq < 0 ? '' : '=' + pair.slice(eq + 1));
        return item;
      });
    cookieList.replaceChildren.apply(cookieList, items);
    cookieEmpty.hidden = items.length > 0;
  }

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

  /** Leaves room under the page for the banner while it is shown. */
  function bannerShown(shown) {
    document.documentElement.classList.toggle('has-banner', shown);
  }

  // ---- what the element reports ----------------------------------------------------------------

  ['oph-consent-ready', 'oph-consent-change', 'oph-consent-error'].forEach(function (type) {
    document.addEventListener(type, function (event) {
      log(type, event.detail, type === 'oph-consent-error' ? 'error' : 'event');
      if (type === 'oph-consent-ready') bannerShown(!event.detail.decided);
      if (type === 'oph-consent-change') bannerShown(false);
      refresh();
    });
  });

  // Sent by demo/analytics.js and the inline gated script when they run.
  document.addEventListener('demo-script-ran', function (event) {
    log('script ran: ' + event.detail.script, event.detail, 'script');
    refresh();
  });

  // ---- what QA can do --------------------------------------------------------------------------

  /** Runs a QA action once the element is defined; logs any failure instead of throwing. */
  function action(name, run) {
    return function () {
      if (!el || !customElements.get('oph-consent')) {
        log('demo: ' + name, { error: '<oph-consent> is not defined: was /dist/oph-consent.min.js built (npm run build)?' }, 'error');
        return;
      }
      Promise.resolve()
        .then(run)
        .catch(function (e) {
          log('demo: ' + name, { error: String((e && e.message) || e) }, 'error');
        })
        .then(refresh);
    };
  }

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

  document.getElementById('accept-all').addEventListener(
    'click',
    action('acceptAll', function () {
      log('demo: el.acceptAll()', undefined, 'demo');
      return el.acceptAll();
    }),
  );

  document.getElementById('reject-all').addEventListener(
    'click',
    action('rejectAll', function () {
      log('demo: el.rejectAll()', undefined, 'demo');
      return el.rejectAll();
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

  // ---- start -----------------------------------------------------------------------------------

  window.addEventListener('load', function () {
    if (!customElements.get('oph-consent')) {
      log('demo', { error: '<oph-consent> is not defined: was /dist/oph-consent.min.js built (npm run build)?' }, 'error');
    }
  });
  refresh();
  setInterval(renderCookies, 500);
})();
