/** PartyKit party "user": the user room behind the PartyKit adapter. */
import { partykitServer } from "./adapter";
import { userRoom } from "../rooms/user-room";

export default partykitServer("user", userRoom);
