/**
 * An on-demand part's stylesheet (imported `with { type: "text" }`), put in the
 * page once, when the part first starts: its styles arrive with it rather than
 * in the first screen's stylesheet (issue 7).
 */
const added = new Set<string>();

export function addStylesOnce(css: string): void {
  if (added.has(css)) return;
  added.add(css);
  const style = document.createElement("style");
  style.textContent = css;
  document.head.appendChild(style);
}
