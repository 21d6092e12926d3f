// What "fits an 800×480 kiosk" means, checked in the page: every visible element of the current
// state lies inside the viewport (the part of it not clipped away by an ancestor that clips, as
// an ellipsis does), and the document does not scroll in either direction.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

export interface LayoutReport {
  outside: string[];
  scrollHeight: number;
  clientHeight: number;
  scrollWidth: number;
  clientWidth: number;
}

/**
 * The check as page-side source text: tsx compiles functions in this file with name helpers
 * the page does not have, so the page gets plain JavaScript.
 */
const layoutCheckSource = String.raw`(() => {
  const width = window.innerWidth;
  const height = window.innerHeight;
  const outside = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    let left = rect.left, top = rect.top, right = rect.right, bottom = rect.bottom;
    for (let ancestor = element.parentElement; ancestor && ancestor !== document.body; ancestor = ancestor.parentElement) {
      const style = getComputedStyle(ancestor);
      const box = ancestor.getBoundingClientRect();
      if (style.overflowX !== 'visible') { left = Math.max(left, box.left); right = Math.min(right, box.right); }
      if (style.overflowY !== 'visible') { top = Math.max(top, box.top); bottom = Math.min(bottom, box.bottom); }
    }
    if (right - left <= 0 || bottom - top <= 0) continue;
    if (left < -0.5 || top < -0.5 || right > width + 0.5 || bottom > height + 0.5) {
      const id = element.getAttribute('data-testid');
      const classes = typeof element.className === 'string' && element.className ? '.' + element.className.split(' ').join('.') : '';
      outside.push(element.tagName.toLowerCase() + (id ? '[data-testid=' + id + ']' : '') + classes + ' "' + (element.textContent || '').trim().slice(0, 40) + '" at ' +
        Math.round(left) + ',' + Math.round(top) + '–' + Math.round(right) + ',' + Math.round(bottom));
    }
  }
  const root = document.documentElement;
  return { outside, scrollHeight: root.scrollHeight, clientHeight: root.clientHeight, scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
})()`;

export async function layoutReport(page: Page): Promise<LayoutReport> {
  return (await page.evaluate(layoutCheckSource)) as LayoutReport;
}

export async function assertFits(page: Page, what: string): Promise<void> {
  const report = await layoutReport(page);
  assert.deepEqual(report.outside.slice(0, 10), [], `${what}: visible elements outside the ${page.viewportSize()?.width}×${page.viewportSize()?.height} viewport`);
  assert.ok(report.scrollHeight <= report.clientHeight, `${what}: the page scrolls vertically (${report.scrollHeight} > ${report.clientHeight})`);
  assert.ok(report.scrollWidth <= report.clientWidth, `${what}: the page scrolls horizontally (${report.scrollWidth} > ${report.clientWidth})`);
}
