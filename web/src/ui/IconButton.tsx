/**
 * A button drawn as an icon, named by `label`: read out, and shown on hover
 * unless `untitled`. `expanded` for one that opens something beside it (with
 * `menu`, a menu: useMenu.ts).
 */
import type { ComponentChildren, Ref } from "preact";

export function IconButton({
  label,
  class: more,
  buttonRef,
  untitled = false,
  menu = false,
  expanded,
  disabled,
  onClick,
  children,
}: {
  label: string;
  /** Classes beside `icon-button`. */
  class?: string;
  buttonRef?: Ref<HTMLButtonElement>;
  untitled?: boolean;
  menu?: boolean;
  expanded?: boolean;
  disabled?: boolean;
  onClick(): void;
  children: ComponentChildren;
}) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class={more ? `icon-button ${more}` : "icon-button"}
      aria-label={label}
      title={untitled ? undefined : label}
      aria-haspopup={menu ? "menu" : undefined}
      aria-expanded={expanded}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}
