/** Entry of the web client (placeholder until the UI lands). */
import { render } from "preact";

render(<p>Conversas</p>, document.getElementById("app")!);
