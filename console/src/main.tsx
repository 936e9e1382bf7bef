import { createRoot } from "react-dom/client";
import { App } from "./App";
import { ApiClient } from "./api";
import { takeToken } from "./session";
import "./console.css";

const token = takeToken(window.location, window.sessionStorage, window.history);
// The console is served by the API's own gateway under /console/: the API is the same origin.
const api = token ? new ApiClient(window.location.origin, token) : null;
createRoot(document.getElementById("root")!).render(<App api={api} />);
