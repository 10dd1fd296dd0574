/**
 * Tests of the catalog linter: runs `node bin/oph-consent.mjs lint …` on the fixtures next to this
 * file and on OPH31's catalog, and calls `lintCatalog` directly for the edge cases of each rule.
 * Uses the build (dist/node/cli/lint.js): `npm test` builds first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { lintCatalog } from '../../dist/node/cli/lint.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'oph-consent-lint-'));
process.on('exit', () => rmSync(temp, { recursive: true, force: true }));

/** Runs the command line from the project root, as `npx oph-consent` would. */
function cli(...args) {
  const r = spawnSync(process.execPath, ['bin/oph-consent.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stdout.trimEnd().split('\n') };
}
/** The `--json` report of one run, with its exit status. */
function report(...files) {
  const r = cli('lint', '--json', ...files);
  return { status: r.status, ...JSON.parse(r.stdout) };
}
const fixture = (name) => `test/lint/fixtures/${name}`;
/** `rule path` of each finding, in order: what a test compares. */
const brief = (findings) => findings.map((f) => `${f.rule} ${f.path}`);
const ruleIds = (findings) => [...new Set(findings.map((f) => f.rule))].sort();
const oph31 = () => JSON.parse(readFileSync(join(root, 'catalog/oph31.json'), 'utf8'));

/** A small valid catalog to change one thing in. */
const base = () => ({
  revision: 1,
  controller: { name: 'OPH31 – Office Public de l’Habitat', email: 'ril@oph31.fr', privacyPolicyUrl: 'https://www.oph31.fr/p' },
  categories: [
    { id: 'necessary', title: { fr: 'Nécessaires', en: 'Necessary' }, description: { fr: 'Indispensables.', en: 'Needed.' }, required: true },
    { id: 'analytics', title: { fr: 'Mesure', en: 'Analytics' }, description: { fr: 'Statistiques.', en: 'Statistics.' } },
  ],
  cookies: [
    { name: 'cookieConsent', category: 'necessary', purpose: { fr: 'Vos choix', en: 'Your choices' }, retention: 'P180D' },
    { name: '_ga', category: 'analytics', purpose: { fr: 'Visiteurs', en: 'Visitors' }, retention: 'P13M', provider: 'Google' },
  ],
});
const lint = (catalog) => lintCatalog(catalog, 'test.json');
const retentionWarned = (retention, category = 'analytics') => {
  const c = base();
  Object.assign(c.cookies[1], { retention, category });
  return lint(c).warnings.some((w) => w.rule === 'retention-over-13-months');
};

const tests = {
  'OPH31’s catalog: warnings only, exit 0: consent cookie 365 days, two vague retentions, _utma at P2Y': () => {
    const r = cli('lint', 'catalog/oph31.json');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(r.lines.map((l) => l.replace(/^(\w+ [^:]+: [^:]+: ).*( \[[a-z0-9-]+\])$/, '$1…$2')), [
      'warning catalog/oph31.json: consentCookie.days: … [consent-cookie-lifetime]',
      'warning catalog/oph31.json: cookies[9].retention: … [vague-retention]',
      'warning catalog/oph31.json: cookies[11].retention: … [vague-retention]',
      'warning catalog/oph31.json: cookies[12].retention: … [retention-over-13-months]',
      '0 errors, 4 warnings in 1 file',
    ]);
    assert.equal(r.stderr, '');
  },

  'OPH31’s catalog: the messages name the cookie and say which CNIL limit applies': () => {
    const [days, auth, ga, utma] = report('catalog/oph31.json').files[0].warnings;
    assert.match(days.message, /365 days.*6 months/);
    assert.doesNotMatch(days.message, /13 months/, '365 days is under 13 months: only the 6-month recommendation applies');
    assert.match(auth.message, /"customer-auth".*"unspecified"/);
    assert.match(ga.message, /"Google Analytics".*"persistent"/);
    assert.match(utma.message, /"_utma".*P2Y.*13 months/);
  },

  'OPH31’s catalog: no misspelt-tracker, because each _utm* entry matches the real __utm* name': () => {
    const { warnings } = report('catalog/oph31.json').files[0];
    assert.deepEqual(ruleIds(warnings), ['consent-cookie-lifetime', 'retention-over-13-months', 'vague-retention']);
  },

  'a copy of OPH31’s catalog without "match" warns misspelt-tracker on each of the six _utm* names': () => {
    const copy = oph31();
    for (const c of copy.cookies) if (c.name.startsWith('_utm')) delete c.match;
    const file = join(temp, 'no-match.json');
    writeFileSync(file, JSON.stringify(copy));
    const { status, files } = report(file);
    assert.equal(status, 0);
    const { warnings } = files[0];
    const misspelt = warnings.filter((w) => w.rule === 'misspelt-tracker');
    assert.deepEqual(brief(misspelt), [12, 13, 14, 15, 16, 17].map((i) => `misspelt-tracker cookies[${i}].name`));
    assert.match(misspelt[0].message, /"_utma".*"__utma"/);
    assert.equal(misspelt[0].file, file);
  },

  'a good catalog: no error, no warning, exit 0': () => {
    const r = cli('lint', fixture('good.json'));
    assert.equal(r.status, 0);
    assert.deepEqual(r.lines, ['0 errors, 0 warnings in 1 file']);
    const { files } = report(fixture('good.json'));
    assert.deepEqual(files, [{ file: fixture('good.json'), errors: [], warnings: [] }]);
  },

  'wrong types: every schema error with its path, rule "schema", exit 1': () => {
    const { status, errors, warnings, files } = report(fixture('schema-types.json'));
    assert.equal(status, 1);
    assert.equal(warnings, 0, 'no compliance warning on a catalog that does not validate');
    assert.deepEqual(brief(files[0].errors), [
      'schema revision',
      'schema controller.email',
      'schema controller.privacyPolicyUrl',
      'schema consentCookie.days',
      'schema categories[0].id',
      'schema categories[0].required',
      'schema categories[1].title.english',
      'schema categories[1].description',
      'schema cookies[0].retention',
      'schema cookies[0].match',
    ]);
    assert.equal(errors, 10);
    assert.equal(files[0].errors[4].message, 'expected a non-empty string, got number 42');
  },

  'wrong types: human output is `error file: path: message [schema]`, then the summary': () => {
    const r = cli('lint', fixture('schema-types.json'));
    assert.equal(r.status, 1);
    assert.equal(r.lines[0], `error ${fixture('schema-types.json')}: revision: expected an integer of 1 or more, got the string "1" [schema]`);
    assert.equal(r.lines.at(-1), '10 errors, 0 warnings in 1 file');
  },

  'duplicate category id, required and exempt, unknown category: schema errors, exit 1': () => {
    const { status, files } = report(fixture('schema-rules.json'));
    assert.equal(status, 1);
    assert.deepEqual(brief(files[0].errors), ['schema categories[2].id', 'schema categories[2].exempt', 'schema cookies[1].category']);
    assert.match(files[0].errors[0].message, /duplicate category id "analytics"/);
    assert.match(files[0].errors[2].message, /unknown category "analytcs"/);
    assert.deepEqual(files[0].warnings, []);
  },

  'each warning rule once, at its field, exit 0': () => {
    const r = cli('lint', fixture('warnings.json'));
    assert.equal(r.status, 0, r.stdout);
    assert.equal(r.lines.at(-1), '0 errors, 8 warnings in 1 file');
    assert.ok(r.lines.slice(0, -1).every((l) => l.startsWith(`warning ${fixture('warnings.json')}: `)));
    const { files } = report(fixture('warnings.json'));
    assert.deepEqual(brief(files[0].warnings), [
      'consent-cookie-lifetime consentCookie.days',
      'category-without-cookie categories[3].id',
      'vague-retention cookies[0].retention',
      'exempt-third-party cookies[1].provider',
      'missing-english cookies[2].purpose',
      'retention-over-13-months cookies[2].retention',
      'misspelt-tracker cookies[3].name',
      'duplicate-cookie cookies[4].match[0]',
    ]);
    const message = Object.fromEntries(files[0].warnings.map((w) => [w.rule, w.message]));
    assert.match(message['consent-cookie-lifetime'], /400 days.*13 months/);
    assert.match(message['category-without-cookie'], /"video"/);
    assert.match(message['exempt-third-party'], /"_pk_id\.\*".*"audience".*"Google"/);
    assert.match(message['retention-over-13-months'], /"_ga".*P396D \(396 days\)/);
    assert.match(message['misspelt-tracker'], /"_utmb".*"__utmb"/);
    assert.match(message['duplicate-cookie'], /"_ga".*cookies\[2\]\.name/);
  },

  'invalid JSON: rule "json", the message names the file and the place, exit 1': () => {
    const r = cli('lint', fixture('invalid.json'));
    assert.equal(r.status, 1);
    const { files } = report(fixture('invalid.json'));
    const [error] = files[0].errors;
    assert.deepEqual({ ...error, message: undefined }, { file: fixture('invalid.json'), path: '', rule: 'json', message: undefined });
    assert.match(error.message, /^test\/lint\/fixtures\/invalid\.json is not valid JSON: .*line 4, column 1/);
    assert.match(r.lines[0], /^error test\/lint\/fixtures\/invalid\.json: test\/lint\/fixtures\/invalid\.json is not valid JSON: .* \[json\]$/);
  },

  'a missing file: rule "file", the message names it, the other files are still linted, exit 1': () => {
    const r = cli('lint', 'nowhere.json', fixture('good.json'));
    assert.equal(r.status, 1);
    assert.deepEqual(r.lines, ['error nowhere.json: cannot read nowhere.json: no such file [file]', '1 error, 0 warnings in 2 files']);
  },

  'several files: errors of all files first, then warnings, counts summed, exit 1 on any error': () => {
    const r = cli('lint', 'catalog/oph31.json', fixture('schema-rules.json'), fixture('good.json'));
    assert.equal(r.status, 1);
    const kinds = r.lines.slice(0, -1).map((l) => l.split(' ')[0]);
    assert.deepEqual(kinds, ['error', 'error', 'error', 'warning', 'warning', 'warning', 'warning']);
    assert.equal(r.lines.at(-1), '3 errors, 4 warnings in 3 files');
  },

  '--json: { files: [{ file, errors, warnings }], errors, warnings }, findings { file, path, rule, message }': () => {
    const out = report('catalog/oph31.json', fixture('schema-rules.json'));
    assert.equal(out.status, 1);
    assert.deepEqual(Object.keys(out), ['status', 'files', 'errors', 'warnings']);
    assert.deepEqual([out.errors, out.warnings], [3, 4]);
    assert.deepEqual(
      out.files.map((f) => [Object.keys(f), f.file, f.errors.length, f.warnings.length]),
      [
        [['file', 'errors', 'warnings'], 'catalog/oph31.json', 0, 4],
        [['file', 'errors', 'warnings'], fixture('schema-rules.json'), 3, 0],
      ],
    );
    for (const f of out.files.flatMap((f) => [...f.errors, ...f.warnings])) {
      assert.deepEqual(Object.keys(f), ['file', 'path', 'rule', 'message']);
      assert.ok(Object.values(f).every((v) => typeof v === 'string'));
    }
    assert.deepEqual(out.files[0].warnings[3], {
      file: 'catalog/oph31.json',
      path: 'cookies[12].retention',
      rule: 'retention-over-13-months',
      message: out.files[0].warnings[3].message,
    });
  },

  '--json alone on stdout, even with --json after the files': () => {
    const r = cli('lint', 'catalog/oph31.json', '--json');
    assert.equal(r.status, 0);
    assert.equal(JSON.parse(r.stdout).warnings, 4);
    assert.equal(r.stderr, '');
  },

  'lint --help prints the linter’s usage on stdout, exit 0': () => {
    for (const args of [['lint', '--help'], ['lint', '-h']]) {
      const r = cli(...args);
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, /^Usage: oph-consent lint <catalog\.json>… \[--json\]/);
    }
  },

  'wrong usage: no file, unknown option: the linter’s usage on stderr, exit 2': () => {
    for (const args of [['lint'], ['lint', '--strict', 'catalog/oph31.json']]) {
      const r = cli(...args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.match(r.stderr, /^oph-consent: .*\n\nUsage: oph-consent lint/, args.join(' '));
    }
  },


  'lintCatalog: schema errors keep paths that hold spaces or colons (a bad language key)': () => {
    const c = base();
    c.categories[1].title = { fr: 'Mesure', 'en: GB': 'Analytics' };
    const { errors, warnings } = lint(c);
    assert.deepEqual(errors, [
      { file: 'test.json', path: 'categories[1].title.en: GB', rule: 'schema', message: 'expected a language code such as "fr" or "en"' },
    ]);
    assert.deepEqual(warnings, []);
    assert.deepEqual(lint([]).errors, [{ file: 'test.json', path: '', rule: 'schema', message: 'expected an object, got an array' }]);
  },

  'retention-over-13-months: 13 months exactly is fine, one day more is not (CNIL-13)': () => {
    const cases = {
      P13M: false,
      P1Y1M: false,
      P395D: false,
      P1Y30D: false,
      P56W: false,
      'PT9480H': false,
      P14M: true,
      P1Y2M: true,
      P396D: true,
      P1Y31D: true,
      P57W: true,
      'PT9481H': true,
      P2Y: true,
      session: false,
    };
    for (const [retention, warned] of Object.entries(cases)) assert.equal(retentionWarned(retention), warned, retention);
  },

  'retention-over-13-months: not for a required category; yes for an exempt one': () => {
    assert.equal(retentionWarned('P5Y', 'necessary'), false);
    const c = base();
    c.categories[1].exempt = true;
    c.cookies[1] = { ...c.cookies[1], name: '_pk_id.*', provider: 'OPH31', retention: 'P25M' };
    assert.deepEqual(brief(lint(c).warnings), ['retention-over-13-months cookies[1].retention']);
  },

  'consent-cookie-lifetime: 183 days is fine, 184 to 395 the 6-month advice, over 395 the 13-month limit': () => {
    const days = (n) => {
      const c = base();
      c.consentCookie = { days: n };
      return lint(c).warnings.map((w) => `${w.path} ${w.message.includes('13 months') ? '13' : '6'}`);
    };
    assert.deepEqual(days(183), []);
    assert.deepEqual(days(184), ['consentCookie.days 6']);
    assert.deepEqual(days(395), ['consentCookie.days 6']);
    assert.deepEqual(days(396), ['consentCookie.days 13']);
    assert.deepEqual(lint(base()).warnings, [], 'no consentCookie: the default 180 days');
  },

  'missing-english: plain or without "en" for titles, descriptions, purposes; address only as a map; names never': () => {
    const c = base();
    c.categories[0].title = 'Nécessaires';
    c.categories[1].description = { fr: 'Statistiques.', 'en-gb': 'Statistics.' };
    c.cookies[0].purpose = { fr: 'Vos choix' };
    c.cookies[1].provider = { fr: 'Google' };
    c.controller = { ...c.controller, name: { fr: 'OPH31' }, dpo: 'THE NEOSHIELDS', address: { fr: '75 rue Saint-Jean' } };
    assert.deepEqual(brief(lint(c).warnings), [
      'missing-english controller.address',
      'missing-english categories[0].title',
      'missing-english categories[1].description',
      'missing-english cookies[0].purpose',
    ]);
    c.controller.address = '75 rue Saint-Jean';
    assert.equal(lint(c).warnings.length, 3);
  },

  'misspelt-tracker: __ga, __gid, pk_id, __pk_id.* and ___utma; fine when match covers the real name': () => {
    const warned = (name, match) => {
      const c = base();
      c.cookies[1] = { ...c.cookies[1], name, ...(match && { match }) };
      return lint(c)
        .warnings.filter((w) => w.rule === 'misspelt-tracker')
        .map((w) => `${w.path} ${/it is ("[^"]+")/.exec(w.message)[1]}`);
    };
    assert.deepEqual(warned('__ga'), ['cookies[1].name "_ga"']);
    assert.deepEqual(warned('__gid'), ['cookies[1].name "_gid"']);
    assert.deepEqual(warned('pk_id'), ['cookies[1].name "_pk_id"']);
    assert.deepEqual(warned('__pk_id.*'), ['cookies[1].name "_pk_id.*"']);
    assert.deepEqual(warned('___utma'), ['cookies[1].name "__utma"']);
    assert.deepEqual(warned('Analytics', ['__ga_*']), ['cookies[1].match[0] "_ga_*"']);
    assert.deepEqual(warned('_utma', ['__utma']), []);
    assert.deepEqual(warned('_utmz', ['__utm*']), []);
    assert.deepEqual(warned('__utma'), []);
    assert.deepEqual(warned('_ga_*'), []);
    assert.deepEqual(warned('__gads'), [], 'Google Ads really has two');
  },

  'duplicate-cookie: across entries, by name or match; an entry repeating its own name in match is no duplicate': () => {
    const c = base();
    c.cookies[1].match = ['_ga', '_ga_*'];
    assert.deepEqual(lint(c).warnings, []);
    c.cookies.push({ name: 'Google Analytics', category: 'analytics', purpose: { fr: 'GA', en: 'GA' }, retention: 'P13M', match: ['_ga_*'] });
    c.cookies.push({ name: 'cookieConsent', category: 'necessary', purpose: { fr: 'Choix', en: 'Choice' }, retention: 'P6M' });
    assert.deepEqual(brief(lint(c).warnings), ['duplicate-cookie cookies[2].match[0]', 'duplicate-cookie cookies[3].name']);
  },

  'exempt-third-party: the controller’s own name or short name is fine, a third party or Google is not': () => {
    const providers = (...names) => {
      const c = base();
      c.categories[1].exempt = true;
      c.cookies[1] = { ...c.cookies[1], name: '_pk_id.*' };
      names.forEach((provider, i) => c.cookies.push({ ...c.cookies[1], name: `_pk_${i}`, provider }));
      delete c.cookies[1].provider;
      return brief(lint(c).warnings);
    };
    assert.deepEqual(providers('OPH31', 'Matomo (OPH31)', 'OPH31 – Office Public de l’Habitat', { fr: 'oph31', en: 'OPH31' }), []);
    assert.deepEqual(providers('Matomo Cloud', 'Google (OPH31)', { fr: 'OPH31', en: 'Hotjar' }), [
      'exempt-third-party cookies[2].provider',
      'exempt-third-party cookies[3].provider',
      'exempt-third-party cookies[4].provider',
    ]);
  },

  'needs-review: a drafted entry is a warning until a person removes the flag': () => {
    const c = base();
    c.cookies[1].needsReview = true;
    const { errors, warnings } = lint(c);
    assert.deepEqual(errors, []);
    assert.deepEqual(brief(warnings), ['needs-review cookies[1].needsReview']);
    c.cookies[1].needsReview = false;
    assert.deepEqual(brief(lint(c).warnings), []);
  },

  'category-without-cookie: at the category id': () => {
    const c = base();
    c.categories.push({ id: 'video', title: { fr: 'Vidéos', en: 'Videos' }, description: { fr: 'Lecteurs.', en: 'Players.' } });
    assert.deepEqual(brief(lint(c).warnings), ['category-without-cookie categories[2].id']);
  },
};

for (const [name, fn] of Object.entries(tests)) test(name, fn);
