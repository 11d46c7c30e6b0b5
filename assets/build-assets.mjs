// Helpers for the npm scripts in package.json (Node 20, no dependencies).
//
//   node assets/build-assets.mjs copy-js  copy govuk-frontend's ES module bundle to templates/static/govuk/
//   node assets/build-assets.mjs check    copy the images/fonts the compiled CSS refers to (if any) and
//                                         fail on GOV.UK branding or the GDS Transport font
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules/govuk-frontend/dist/govuk");
const staticDir = join(root, "templates/static");
const vendorDir = join(staticDir, "govuk");
const css = join(staticDir, "app.css");

function size(file) {
  const bytes = readFileSync(file);
  return `${relative(root, file)}: ${(bytes.length / 1024).toFixed(1)} KiB (${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped)`;
}

function copyJs() {
  mkdirSync(vendorDir, { recursive: true });
  const target = join(vendorDir, "govuk-frontend.min.js");
  // The source map is not shipped, so drop the comment that points browsers at it.
  const code = readFileSync(join(govuk, "govuk-frontend.min.js"), "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
  writeFileSync(target, code);
  console.log(size(target));
}

function htmlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return htmlFiles(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

function check() {
  const text = readFileSync(css, "utf8");
  const problems = [];
  // 1. Every url() must be under /static/govuk/ and is copied from govuk-frontend's assets.
  for (const [, raw] of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
    if (raw.startsWith("data:")) continue;
    if (!raw.startsWith("/static/govuk/")) {
      problems.push(`app.css refers to ${raw}, outside /static/govuk/`);
      continue;
    }
    const name = raw.slice("/static/govuk/".length);
    const source = join(govuk, "assets", name);
    if (!existsSync(source)) {
      problems.push(`app.css refers to ${raw}, which govuk-frontend does not ship`);
      continue;
    }
    mkdirSync(dirname(join(vendorDir, name)), { recursive: true });
    copyFileSync(source, join(vendorDir, name));
    console.log(`copied ${name}`);
  }
  // 2. No licensed font, no GOV.UK branding.
  if (/GDS Transport|@font-face/i.test(text)) problems.push("app.css includes GDS Transport or a @font-face");
  for (const file of [css, ...htmlFiles(join(root, "templates"))]) {
    const body = readFileSync(file, "utf8");
    for (const banned of ["GOV.UK", "govuk-header", "govuk-logo", "govuk-crest", "Crown copyright", "GDS Transport"]) {
      if (body.includes(banned)) problems.push(`${relative(root, file)} contains "${banned}"`);
    }
  }
  for (const name of readdirSync(vendorDir, { recursive: true })) {
    if (/crest|crown|govuk-icon|opengraph|favicon|\.woff/.test(String(name))) problems.push(`templates/static/govuk/${name} is GOV.UK branding or its font`);
  }
  console.log(size(css));
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log("assets ok: no GOV.UK branding, no GDS Transport");
}

const command = process.argv[2];
if (command === "copy-js") copyJs();
else if (command === "check") check();
else {
  console.error("usage: node assets/build-assets.mjs copy-js|check");
  process.exit(2);
}
