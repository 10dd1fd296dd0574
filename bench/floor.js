// The floor of a returning page view, for scripts/returning-breakdown.mjs: a hand-written gate with no catalog, no
// check, no styles and no banner beyond one button. It reads one cookie and runs the gated scripts; nothing can cost less.
(function () {
  function run() {
    document.querySelectorAll('script[type="text/plain"][data-oph-category]').forEach(function (old) {
      var script = document.createElement('script');
      script.src = old.getAttribute('src');
      old.replaceWith(script);
    });
  }
  if (/(?:^|; )floor=1/.test(document.cookie)) return run();
  var accept = document.createElement('button');
  accept.id = 'floor-accept';
  accept.textContent = 'Tout accepter';
  accept.addEventListener('click', function () {
    document.cookie = 'floor=1; Max-Age=3600; Path=/';
    accept.remove();
    run();
  });
  document.body.append(accept);
})();
