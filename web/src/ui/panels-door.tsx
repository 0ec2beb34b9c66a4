/**
 * The first screen's door to ui/panels.ts: a panel's component renders once its
 * chunk is here (fetched when a panel is first shown), with the first screen's
 * pieces it uses handed over (ui/panels-parts.ts says why);
 * until then nothing stands in its place. A fetch that failed (offline) is tried
 * again when a panel is next shown.
 */
import { signal } from "@preact/signals";
import type { ComponentType } from "preact";
import { MAX_GROUP_NAME } from "../../../protocol/groups";
import { canCreateGroup, isGroupAdmin, leavingOrphansGroup, sortedMembers } from "../model/groups";
import { lineSide, lineTime, safeHref } from "../model/share";
import { highlightParts } from "../model/smart-search";
import { loadTranscript } from "../stores/share";
import { DocumentCard, VoicePlayer } from "./Attachment";
import { ChannelIcon } from "./ChannelIcon";
import { ConfirmDialog } from "./ConfirmDialog";
import { formatSize, previewKind } from "../model/files";
import { CloseIcon, FileIcon, PlayIcon, SendIcon, TrashIcon } from "./icons";
import { FormDialog, Modal } from "./Modal";
import { PickOption, toggled } from "./PickOption";
import { Presence } from "./Presence";
import { moveFocus } from "./search-focus";
import { TabList, tabPanel } from "./TabList";

type Panels = typeof import("./panels");
const loaded = signal<Panels | null>(null);
let loading: Promise<Panels | null> | null = null;

export function loadPanels(): Promise<Panels | null> {
  loading ??= import("./panels").then(
    (m) => {
      m.connect({
        MAX_GROUP_NAME,
        isGroupAdmin,
        leavingOrphansGroup,
        sortedMembers,
        canCreateGroup,
        lineSide,
        lineTime,
        safeHref,
        loadTranscript,
        DocumentCard,
        VoicePlayer,
        ChannelIcon,
        ConfirmDialog,
        CloseIcon,
        PlayIcon,
        FileIcon,
        SendIcon,
        TrashIcon,
        formatSize,
        highlightParts,
        moveFocus,
        previewKind,
        Modal,
        FormDialog,
        PickOption,
        toggled,
        Presence,
        TabList,
        tabPanel,
      });
      return (loaded.value = m);
    },
    () => ((loading = null), null),
  );
  return loading;
}

/** A component of the chunk, rendered once it is here. */
export function onDemand<P extends object>(pick: (m: Panels) => ComponentType<P>): ComponentType<P> {
  return function OnDemand(props: P) {
    const m = loaded.value;
    if (!m) {
      void loadPanels();
      return null;
    }
    const Component = pick(m);
    return <Component {...props} />;
  };
}
