/*
 * What both QA pages share: the clock, JSON for humans, the event log and the live cookie view.
 * A classic script (loaded with `defer` before each page's own script); textContent only, no eval,
 * so the pages keep their strict CSP. Exposes `window.demoQA`.
 */
(function () {
  'use strict';

  var MAX_LOG_ENTRIES = 300;

  function pad(n, width) {
    return String(n).padStart(width || 2, '0');
  }

  function clock(date) {
    var d = date || new Date();
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3);
  }

  function json(value) {
    try {
      var text = JSON.stringify(value);
      return text === undefined ? String(value) : text;
    } catch (e) {
      return String(value);
    }
  }

  /** A `log(type, detail, kind)` that appends one line (time, type, JSON detail) to the list; `kind` styles it. */
  function eventLog(list) {
    return function log(type, detail, kind) {
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
      list.append(item);
      while (list.childElementCount > MAX_LOG_ENTRIES) list.firstElementChild.remove();
      list.scrollTop = list.scrollHeight;
    };
  }

  /** A `render()` that shows `document.cookie`, one cookie per line, when it changed. */
  function cookieView(list, empty) {
    var shown = null;
    return function render() {
      var all = document.cookie;
      if (all === shown) return;
      shown = all;
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
      list.replaceChildren.apply(list, items);
      empty.hidden = items.length > 0;
    };
  }

  /**
   * Logs every event of the element, leaves room under the page while the banner is shown, then
   * calls `refresh(type)` so the page can redraw what it shows.
   */
  function followElement(log, refresh) {
    ['oph-consent-ready', 'oph-consent-change', 'oph-consent-error'].forEach(function (type) {
      document.addEventListener(type, function (event) {
        log(type, event.detail, type === 'oph-consent-error' ? 'error' : 'event');
        if (type === 'oph-consent-ready') document.documentElement.classList.toggle('has-banner', !event.detail.decided);
        if (type === 'oph-consent-change') document.documentElement.classList.remove('has-banner');
        refresh(type);
      });
    });
  }

  /**
   * An `action(name, run)` for the page's buttons: it runs `run` with the element (as `getElement()`
   * finds it), logs a failure instead of throwing, then calls `refresh`. The API buttons
   * `#accept-all` and `#reject-all` are wired here, the same on both pages.
   */
  function actions(getElement, log, refresh, missing) {
    function action(name, run) {
      return function () {
        var el = getElement();
        if (!el || !customElements.get('oph-consent')) return log('demo: ' + name, { error: missing }, 'error');
        Promise.resolve(el)
          .then(run)
          .catch(function (e) {
            log('demo: ' + name, { error: String((e && e.message) || e) }, 'error');
          })
          .then(refresh);
      };
    }
    ['acceptAll', 'rejectAll'].forEach(function (method) {
      var id = method === 'acceptAll' ? 'accept-all' : 'reject-all';
      document.getElementById(id).addEventListener(
        'click',
        action(method, function (el) {
          log('demo: el.' + method + '()', undefined, 'demo');
          return el[method]();
        }),
      );
    });
    return action;
  }

  window.demoQA = { clock: clock, json: json, eventLog: eventLog, cookieView: cookieView, followElement: followElement, actions: actions };
})();
