/**
 * `custom-elements.json` for editors and docs (`npm run analyze`, run by the build).
 * The element's private plumbing is not API: drop what the analyzer infers from it.
 */
export default {
  globs: ['src/index.ts', 'src/ui/oph-consent.ts'],
  outdir: '.',
  plugins: [
    {
      name: 'oph-consent-public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const module of customElementsManifest.modules) {
          for (const d of module.declarations ?? []) {
            // `#emit(type, …)` is not an event named "type"; `#root.adoptedStyleSheets` is not a member.
            d.events = d.events?.filter((e) => e.name?.startsWith('oph-consent-'));
            d.members = d.members?.filter((m) => m.privacy !== 'private' && m.name !== 'adoptedStyleSheets' && !m.name.startsWith('#'));
          }
        }
      },
    },
  ],
};
