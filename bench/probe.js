/*
 * Bench probe, loaded first (synchronously, in <head>) by every bench page, so that its observers see the whole load.
 * - window.bench.longTasks: every long task (> 50 ms) as { start, duration } (PerformanceObserver 'longtask').
 * - window.bench.shifts: every layout shift not caused by input as { start, value } (PerformanceObserver 'layout-shift').
 * - bench.setup({ accept, panel, panelAccept, openPanel, wired }): the page says how to find its banner's accept button,
 *   its preference panel and the panel's accept-all button, and how to open the panel with the library's API
 *   (wired: false, for the baseline page only, drops the click-listener condition below). From then on, each animation frame checks the accept button;
 *   the first frame where it is usable sets window.benchReady = performance.now() (ms since navigation start).
 * "Usable" = connected, non-zero box, checkVisibility() with opacity and visibility, a hit test at the centre of its box
 * (clamped to the viewport) lands on it (through its shadow root for oph-consent), and, for the accept button, a click
 * listener is attached to it: visible, clickable, and a click does something. (tarteaucitron shows its banner, then
 * attaches its button listeners in a setTimeout of 500 ms: a click before that does nothing.) Click listeners are seen
 * by wrapping EventTarget.prototype.addEventListener before any library runs; bench.visibleAt keeps the first frame
 * where the accept button was visible and hit-testable, listener or not.
 */
(function () {
  var b = (window.bench = { longTasks: [], shifts: [], visibleAt: null });
  var clicks = new WeakMap();
  var add = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (type === 'click' && !clicks.has(this)) clicks.set(this, performance.now());
    return add.call(this, type, listener, options);
  };
  b.hasClickListener = function (el) { return clicks.has(el) || typeof el.onclick === 'function'; };
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { b.longTasks.push({ start: e.startTime, duration: e.duration }); });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { b.noLongTask = String(e); }
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { if (!e.hadRecentInput) b.shifts.push({ start: e.startTime, value: e.value }); });
    }).observe({ type: 'layout-shift', buffered: true });
  } catch (e) { b.noLayoutShift = String(e); }

  b.usable = function (el) {
    if (!el || !el.isConnected) return false;
    var r = el.getBoundingClientRect();
    if (!(r.width > 0 && r.height > 0)) return false;
    if (el.checkVisibility && !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    var x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    var y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
    if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) return false;
    var root = el.getRootNode();
    var hit = (root.elementFromPoint ? root : document).elementFromPoint(x, y);
    return !!hit && (hit === el || el.contains(hit));
  };

  /** Resolves with performance.now() at the first animation frame where find() returns a usable element. */
  b.until = function (find, wired) {
    return new Promise(function (resolve) {
      function tick() {
        var el = null;
        try { el = find(); } catch (e) { /* not there yet */ }
        var usable = b.usable(el);
        if (usable && wired && b.visibleAt === null) b.visibleAt = performance.now();
        if (usable && (!wired || b.hasClickListener(el))) resolve(performance.now());
        else requestAnimationFrame(tick);
      }
      requestAnimationFrame(tick);
    });
  };

  b.setup = function (options) {
    b.accept = options.accept;
    b.panel = options.panel;
    b.openPanel = options.openPanel;
    b.panelAccept = options.panelAccept;
    b.readyPromise = b.until(b.accept, options.wired !== false).then(function (t) { window.benchReady = t; return t; });
  };

  /** Opens the preference panel with the library's API; times the call itself and the first frame showing the panel. */
  b.measureOpen = function () {
    var start = performance.now();
    b.openPanel();
    var sync = performance.now() - start;
    return b.until(b.panel).then(function (end) { return { start: start, end: end, sync: sync, visible: end - start }; });
  };
})();
