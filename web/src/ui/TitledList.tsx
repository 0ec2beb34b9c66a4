/**
 * A titled list of people (the contacts found, "Contatos Frequentes", a call
 * search's results): its heading, then the list, or `empty` when it has no one.
 */
import type { ComponentChildren, JSX } from "preact";

export function TitledList({
  id,
  title,
  class: cls,
  listClass = "rows",
  empty,
  items,
}: {
  /** The heading's id, which names the section. */
  id: string;
  title: string;
  class?: string;
  listClass?: string;
  empty: ComponentChildren;
  /** One `<li>` each. */
  items: JSX.Element[];
}) {
  return (
    <section class={cls} aria-labelledby={id}>
      <h2 id={id} class="section-title">
        {title}
      </h2>
      {items.length === 0 ? empty : <ul class={listClass}>{items}</ul>}
    </section>
  );
}
