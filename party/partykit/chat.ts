/** PartyKit party "chat": the chat room behind the PartyKit adapter. */
import { partykitServer } from "./adapter";
import { chatRoom } from "../rooms/chat-room";

export default partykitServer("chat", chatRoom);
