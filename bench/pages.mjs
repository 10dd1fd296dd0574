/**
 * The benchmark pages: one OPH31 page, the same for every library, with only what each library's
 * documentation asks an integrator to paste (its files, its probe hooks, its gated script).
 * `scripts/bench.mjs` writes them into bench/ before each run.
 */
const oph = (catalog, loading = 'preload') => ({
  hooks: `
      accept: () => document.querySelector('oph-consent').shadowRoot.querySelector('[part~="banner"] [part~="accept-all"]'),
      panel: () => document.querySelector('oph-consent').shadowRoot.querySelector('dialog[part~="panel"][open]'),
      panelAccept: () => document.querySelector('oph-consent').shadowRoot.querySelector('dialog[part~="panel"] [part~="accept-all"]'),
      openPanel: () => { document.querySelector('oph-consent').showPreferences(); },`,
  head: {
    preload: `
  <!-- As the README recommends: fetch the catalog while the script loads. -->
  <link rel="preload" href="${catalog}" as="fetch" crossorigin>
  <script src="/dist/oph-consent.min.js" defer></script>`,
    plain: `
  <!-- The plain drop-in: the script and the element, no preload hint. -->
  <script src="/dist/oph-consent.min.js" defer></script>`,
    bundle: `
  <!-- The site bundle (npx oph-consent bundle catalog/oph31.json): the catalog is inside the script. -->
  <script src="/bench/oph-consent.oph31.js" defer></script>`,
  }[loading],
  link: '<a href="#" data-oph-consent-open>Gestion des cookies</a>',
  end: `
  <oph-consent${loading === 'bundle' ? '' : ` catalog="${catalog}"`}></oph-consent>
  <script type="text/plain" data-oph-category="analytics" src="/bench/gated.js"></script>`,
});

export const PAGES = {
  'oph-consent.html': { title: 'oph-consent', ...oph('/catalog/oph31.json') },
  'oph-consent-scale.html': { title: 'oph-consent, 1,000 cookies', ...oph('/bench/catalog-1000.json') },
  'oph-consent-plain.html': { title: 'oph-consent, plain drop-in', ...oph('/catalog/oph31.json', 'plain') },
  'oph-consent-bundle.html': { title: 'oph-consent, site bundle', ...oph('/catalog/oph31.json', 'bundle') },
  'cookieconsent.html': {
    title: 'vanilla-cookieconsent',
    hooks: `
      accept: () => document.querySelector('#cc-main .cm [data-role="all"]'),
      panel: () => document.querySelector('#cc-main .pm'),
      panelAccept: () => document.querySelector('#cc-main .pm [data-role="all"]'),
      openPanel: () => { CookieConsent.showPreferences(); },`,
    head: `
  <!-- vanilla-cookieconsent's documented drop-in: its stylesheet, the UMD build, then the site's configuration. -->
  <link rel="stylesheet" href="/node_modules/vanilla-cookieconsent/dist/cookieconsent.css">
  <script src="/node_modules/vanilla-cookieconsent/dist/cookieconsent.umd.js" defer></script>
  <script src="/bench/cookieconsent-config.js" defer></script>`,
    link: '<a href="#" data-cc="show-preferencesModal">Gestion des cookies</a>',
    end: `
  <script type="text/plain" data-category="analytics" src="/bench/gated.js"></script>`,
  },
  'tarteaucitron.html': {
    title: 'tarteaucitron',
    hooks: `
      accept: () => document.getElementById('tarteaucitronPersonalize2'),
      panel: () => document.getElementById('tarteaucitron'),
      panelAccept: () => document.getElementById('tarteaucitronAllAllowed'),
      openPanel: () => { tarteaucitron.userInterface.openPanel(); },`,
    head: `
  <!-- tarteaucitron's documented drop-in: the script in <head>, then tarteaucitron.init(); it loads its CSS, its
       language file and its services file itself, from the folder of tarteaucitron.min.js (local here). -->
  <script src="/node_modules/tarteaucitronjs/tarteaucitron.min.js"></script>
  <script src="/bench/tarteaucitron-config.js"></script>`,
    link: '<a href="#" onclick="tarteaucitron.userInterface.openPanel(); return false;">Gestion des cookies</a>',
    end: '',
  },
  'floor.html': {
    title: 'floor (a hand-written gate)',
    hooks: `
      accept: () => document.getElementById('floor-accept'),`,
    head: `
  <!-- The floor for scripts/returning-breakdown.mjs: one cookie read, the gated scripts run, nothing else. -->
  <script src="/bench/floor.js" defer></script>`,
    link: '<a href="#">Gestion des cookies</a>',
    end: `
  <script type="text/plain" data-oph-category="analytics" src="/bench/gated.js"></script>`,
  },
  'baseline.html': {
    title: 'baseline (no consent library)',
    hooks: `
      // No library: the same page, "ready" at the first frame where the footer link is visible and hit-testable.
      accept: () => document.querySelector('footer a'),
      wired: false,`,
    head: '',
    link: '<a href="#">Gestion des cookies</a>',
    end: '',
  },
};

/** One page: the same OPH31 content (figures from its published site) around each library's own lines. */
export function page({ title, hooks, head, link, end }) {
  return `<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>OPH31 – bench ${title}</title>
  <script src="/bench/probe.js"></script>
  <script>
    bench.setup({${hooks}
    });
  </script>${head}
  <style>
    body { margin: 0; font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1f; }
    header, main, footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; }
    header { border-bottom: 1px solid #ccc; }
    h1 { font-size: 1.5rem; margin: 0; }
    footer { border-top: 1px solid #ccc; font-size: 0.9rem; }
  </style>
</head>
<body>
  <header>
    <h1>OPH31 – Office Public de l’Habitat de la Haute-Garonne</h1>
  </header>
  <main>
    <h2>Trouver un logement social en Haute-Garonne</h2>
    <p>
      L’OPH31 gère 3 483 logements et plus de 240 résidences sur près de 90 communes de la Haute-Garonne, où vivent plus
      de 8 500 locataires. Ses 72 salariés s’occupent de la demande de logement social, de la gestion locative et de
      l’entretien des résidences.
    </p>
  </main>
  <footer>
    ${link}
  </footer>${end}
</body>
</html>
`;
}
