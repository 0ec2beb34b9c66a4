/**
 * The first screen's components the administration reuses (the pop-up frame and
 * its form, the confirmation, the tabs, the back arrow, sizes in words) and the way out of the
 * screen, handed over by ui/admin/loader.tsx with the stores' seam
 * (stores/admin-seam.ts says why they are not imported).
 */
import type { formatSize } from "../../model/files";
import type { closeAdmin } from "../../stores/admin-access";
import type { ConfirmDialog } from "../ConfirmDialog";
import type { BackIcon } from "../icons";
import type { FormDialog, Modal } from "../Modal";
import type { TabList, tabPanel } from "../TabList";

export type AdminParts = {
  Modal: typeof Modal;
  FormDialog: typeof FormDialog;
  ConfirmDialog: typeof ConfirmDialog;
  TabList: typeof TabList;
  tabPanel: typeof tabPanel;
  BackIcon: typeof BackIcon;
  closeAdmin: typeof closeAdmin;
  formatSize: typeof formatSize;
};

/** Filled by ui/admin/loader.tsx before the screen renders. */
export const parts = {} as AdminParts;
