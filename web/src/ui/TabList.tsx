/**
 * Tabs as the WAI-ARIA tablist pattern: one tab in the Tab order (the selected
 * one), ←/→ (and Home/End) move to the previous/next tab and select it at once,
 * each tab names the panel it controls and the panel is labelled by its tab.
 * Used for "Chats"/"Chamadas" and for the data panels' galleries.
 */
import type { ComponentChildren } from "preact";

export type Tab<K extends string> = { key: K; label: ComponentChildren };

const tabId = (prefix: string, key: string) => `${prefix}-tab-${key}`;
const panelId = (prefix: string) => `${prefix}-panel`;

export function TabList<K extends string>({
  id,
  label,
  tabs,
  selected,
  onSelect,
}: {
  /** Unique on the page: the prefix of the tabs' and the panel's ids. */
  id: string;
  label?: string;
  tabs: Tab<K>[];
  selected: K;
  onSelect(key: K): void;
}) {
  const onKeyDown = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.key === selected);
    const to =
      e.key === "ArrowRight"
        ? (at + 1) % tabs.length
        : e.key === "ArrowLeft"
          ? (at - 1 + tabs.length) % tabs.length
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? tabs.length - 1
              : -1;
    if (to === -1) return;
    e.preventDefault();
    onSelect(tabs[to]!.key);
    document.getElementById(tabId(id, tabs[to]!.key))?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab.key}
          type="button"
          role="tab"
          class="tab"
          id={tabId(id, tab.key)}
          aria-selected={tab.key === selected}
          aria-controls={panelId(id)}
          tabIndex={tab.key === selected ? 0 : -1}
          onClick={() => onSelect(tab.key)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

/** The attributes of the panel a TabList controls. */
export function tabPanel(id: string, selected: string) {
  return { role: "tabpanel", id: panelId(id), "aria-labelledby": tabId(id, selected) } as const;
}
