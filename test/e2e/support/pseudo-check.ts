// The check of the pseudo-locale test, run in the page: every visible character of text lies
// between ⟦ and ⟧ (so it came from a catalogue) unless it sits inside an element marked
// data-i18n-exempt (an amount, a time, an id: values formatted by Intl or given as data); every
// accessible name, title and placeholder is wrapped too, and so is the document's title.
import type { Page } from 'playwright-core';

/** Page-side source text: tsx would compile a function here with helpers the page lacks. */
const pseudoCheckSource = String.raw`(() => {
  const problems = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let depth = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    let bare = '';
    for (const character of node.data) {
      if (character === '⟦') depth += 1;
      else if (character === '⟧') depth = Math.max(0, depth - 1);
      else if (depth === 0 && !/\s/.test(character)) bare += character;
    }
    if (!bare || !parent || parent.closest('[data-i18n-exempt]')) continue;
    if (!parent.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    problems.push('text "' + bare.slice(0, 60) + '" in <' + parent.tagName.toLowerCase() + (parent.getAttribute('data-testid') ? ' data-testid=' + parent.getAttribute('data-testid') : '') + '>');
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
    if (element.closest('[data-i18n-exempt]')) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = element.getAttribute(name);
      if (value !== null && !(value.startsWith('⟦') && value.endsWith('⟧'))) problems.push(name + '="' + value + '" on <' + element.tagName.toLowerCase() + '>');
    }
  }
  if (!(document.title.startsWith('⟦') && document.title.endsWith('⟧'))) problems.push('document title "' + document.title + '"');
  return problems;
})()`;

/** What on screen did not come from a catalogue and is not marked as exempt data. */
export async function textOutsideCatalogues(page: Page): Promise<string[]> {
  return (await page.evaluate(pseudoCheckSource)) as string[];
}
