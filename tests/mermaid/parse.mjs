// Parse mermaid diagrams with mermaid itself, offline: reads a JSON array of diagram sources on
// stdin, writes a JSON array of {"ok": true} or {"ok": false, "error": "..."} on stdout.
// jsdom supplies the window that mermaid's DOMPurify needs at import; nothing is fetched.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const source of JSON.parse(input)) {
  try {
    await mermaid.parse(source);
    results.push({ ok: true });
  } catch (error) {
    results.push({ ok: false, error: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results));
