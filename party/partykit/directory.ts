/** PartyKit party "directory": the directory room behind the PartyKit adapter. */
import { partykitServer } from "./adapter";
import { directoryRoom } from "../rooms/directory-room";

export default partykitServer("directory", directoryRoom);
