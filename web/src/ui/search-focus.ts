/** ArrowDown/ArrowUp walk the results in order; the search field hands focus to the first. */
export function moveFocus(from: HTMLElement, step: 1 | -1): void {
  const all = [...document.querySelectorAll<HTMLElement>(".search-results .row, .search-results .more")];
  const at = all.indexOf(from);
  const next = at === -1 ? all[step === 1 ? 0 : all.length - 1] : all[at + step];
  if (next) next.focus();
  else if (step === -1) document.querySelector<HTMLInputElement>('.search input[type="search"]')?.focus();
}
