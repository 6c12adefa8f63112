// Write an HTML page that draws a markdown report the way GitHub shows a comment: marked for the
// markdown, mermaid for the ```mermaid blocks, both loaded from node_modules (no network).
// Usage: node page.mjs REPORT.md OUT.html [light|dark]
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [report, out, theme = "light"] = process.argv.slice(2);
if (!report || !out) {
  console.error("usage: node page.mjs REPORT.md OUT.html [light|dark]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const script = (path) => relative(dirname(resolve(out)), resolve(here, "node_modules", path));
const dark = theme === "dark";
const markdown = readFileSync(report, "utf8");
writeFileSync(
  out,
  `<!doctype html>
<html><head><meta charset="utf-8"><title>report</title>
<style>
  body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
         max-width: 1012px; margin: 24px auto; padding: 0 16px;
         background: ${dark ? "#0d1117" : "#ffffff"}; color: ${dark ? "#e6edf3" : "#1f2328"}; }
  table { border-collapse: collapse; margin: 8px 0; }
  th, td { border: 1px solid ${dark ? "#30363d" : "#d1d9e0"}; padding: 4px 10px; }
  code { background: ${dark ? "#262c36" : "#eff1f3"}; padding: 1px 4px; border-radius: 4px; }
  blockquote { border-left: 4px solid ${dark ? "#3d444d" : "#d1d9e0"}; margin: 0; padding: 0 12px; }
  pre.mermaid { background: none; }
</style>
<script src="${script("marked/lib/marked.umd.js")}"></script>
<script src="${script("mermaid/dist/mermaid.min.js")}"></script>
</head><body><div id="report"></div>
<script>
  const markdown = ${JSON.stringify(markdown).replace(/</g, "\\u003c")};
  const root = document.getElementById("report");
  root.innerHTML = marked.parse(markdown);
  for (const block of root.querySelectorAll("code.language-mermaid")) {
    const pre = document.createElement("pre");
    pre.className = "mermaid";
    pre.textContent = block.textContent;
    block.parentElement.replaceWith(pre);
  }
  for (const details of root.querySelectorAll("details")) details.open = true;
  mermaid.initialize({ startOnLoad: false, theme: "${dark ? "dark" : "default"}" });
  mermaid.run({ querySelector: "pre.mermaid" }).then(() => { document.title = "rendered"; });
</script></body></html>
`,
);
