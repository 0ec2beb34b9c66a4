/**
 * What the first screen shows only on a click, loaded on demand (issue 17 keeps
 * the first screen at 60 KB gzip or less): the side panels "Dados do contato" and
 * "Dados do grupo" with their galleries, "Novo grupo", a shared conversation's
 * transcript, the files chosen to send and the search's results. ui/panels-door.tsx is their door.
 */
export { connect } from "./panels-parts";
export { ContactPanel } from "./ContactPanel";
export { GroupPanel } from "./groups/GroupPanel";
export { NewGroupDialog } from "./groups/NewGroupDialog";
export { TranscriptDialog } from "./TranscriptDialog";
export { AttachmentPreview } from "./AttachmentPreview";
export { SmartSearchResults } from "./SmartSearchResults";
