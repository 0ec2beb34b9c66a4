/**
 * The first screen's pieces the on-demand panels (ui/panels.ts) use, handed over
 * by ui/panels-door.tsx when the chunk arrives instead of imported: an import
 * would make esbuild cut the first screen into shared chunks, which costs more
 * gzip than the panels save (measured: 10.5 KB of panels out, 0.7 KB gzip less).
 */
import type { MAX_GROUP_NAME as MaxGroupName } from "../../../protocol/groups";
import type * as files from "../model/files";
import type * as groups from "../model/groups";
import type { highlightParts as Highlight } from "../model/smart-search";
import type { moveFocus as MoveFocus } from "./search-focus";
import type * as share from "../model/share";
import type { loadTranscript as LoadTranscript } from "../stores/share";
import type { DocumentCard as Doc, VoicePlayer as Voice } from "./Attachment";
import type { ChannelIcon as Channel } from "./ChannelIcon";
import type { ConfirmDialog as Confirm } from "./ConfirmDialog";
import type { CloseIcon as Close, FileIcon as File, PlayIcon as Play, SendIcon as Send, TrashIcon as Trash } from "./icons";
import type { FormDialog as Form, Modal as ModalFrame } from "./Modal";
import type { PickOption as Pick, toggled as Toggled } from "./PickOption";
import type { Presence as PresenceDot } from "./Presence";
import type { TabList as Tabs, tabPanel as TabPanel } from "./TabList";

export type PanelParts = {
  MAX_GROUP_NAME: typeof MaxGroupName;
  isGroupAdmin: typeof groups.isGroupAdmin;
  leavingOrphansGroup: typeof groups.leavingOrphansGroup;
  sortedMembers: typeof groups.sortedMembers;
  canCreateGroup: typeof groups.canCreateGroup;
  lineSide: typeof share.lineSide;
  lineTime: typeof share.lineTime;
  safeHref: typeof share.safeHref;
  loadTranscript: typeof LoadTranscript;
  DocumentCard: typeof Doc;
  VoicePlayer: typeof Voice;
  ChannelIcon: typeof Channel;
  ConfirmDialog: typeof Confirm;
  CloseIcon: typeof Close;
  PlayIcon: typeof Play;
  FileIcon: typeof File;
  SendIcon: typeof Send;
  TrashIcon: typeof Trash;
  formatSize: typeof files.formatSize;
  highlightParts: typeof Highlight;
  moveFocus: typeof MoveFocus;
  previewKind: typeof files.previewKind;
  Modal: typeof ModalFrame;
  FormDialog: typeof Form;
  PickOption: typeof Pick;
  toggled: typeof Toggled;
  Presence: typeof PresenceDot;
  TabList: typeof Tabs;
  tabPanel: typeof TabPanel;
};

/** Filled by the door before any panel renders. */
export const parts = {} as PanelParts;

/** Called by the door once, before the chunk's components render. */
export function connect(p: PanelParts): void {
  Object.assign(parts, p);
}
