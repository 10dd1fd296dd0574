/*
 * What Google's tag snippet puts at the top of a page, without loading any Google script:
 * the dataLayer and the gtag() function that pushes its `arguments` object onto it.
 * Loaded (synchronously) before /dist/oph-consent.min.js on demo/integrations.html, so the page and
 * the element share one dataLayer. Nothing is ever sent anywhere: QA reads window.dataLayer on the page.
 */
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
