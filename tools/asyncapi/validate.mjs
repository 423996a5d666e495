// Parses an AsyncAPI document with the official parser and exits 1 on any error or warning.
//
// Usage: node validate.mjs [path]   (default: eventing/asyncapi.yaml of this repository)
//
// Every diagnostic is printed, infos and hints too, so a reader sees what the parser saw.
// The document must be self-contained: a $ref outside it is reported as an error here
// instead of being fetched, so the check never needs the network.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { DiagnosticSeverity, Parser } from "@asyncapi/parser";

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.resolve(process.argv[2] ?? path.join(here, "..", "..", "eventing", "asyncapi.yaml"));
const shown = path.relative(process.cwd(), target) || target;

// Replaces the parser's file and http(s) readers: each outside reference is recorded and
// answered with an empty schema, so parsing goes on and every such reference is reported.
const outside = [];
const refuse = (schema) => ({
  schema,
  order: 1,
  read: (uri) => {
    outside.push(uri.toString());
    return "{}";
  },
});

const parser = new Parser({
  __unstable: { resolver: { resolvers: ["file", "http", "https"].map(refuse) } },
});
const text = readFileSync(target, "utf8");
const { document, diagnostics } = await parser.parse(text, { source: target });

const names = {
  [DiagnosticSeverity.Error]: "error",
  [DiagnosticSeverity.Warning]: "warning",
  [DiagnosticSeverity.Information]: "info",
  [DiagnosticSeverity.Hint]: "hint",
};
for (const d of diagnostics) {
  const where = d.path.length ? d.path.join(".") : "(document)";
  const line = d.range ? `:${d.range.start.line + 1}` : "";
  console.log(`${shown}${line}: ${names[d.severity]}: ${d.code}: ${d.message} at ${where}`);
}
for (const uri of outside) {
  console.log(`${shown}: error: outside-ref: ${uri} is outside the document; put it under components`);
}

const failing = diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning).length + outside.length;
if (failing > 0 || document === undefined) {
  console.log(`${shown}: ${failing} errors or warnings`);
  process.exit(1);
}
const channels = document.channels().length;
const operations = document.operations().length;
const messages = document.allMessages().length;
console.log(
  `${shown}: valid AsyncAPI ${document.version()} (@asyncapi/parser ${parserVersion()}): ` +
    `${channels} channels, ${operations} operations, ${messages} messages, no errors or warnings`,
);

function parserVersion() {
  return JSON.parse(readFileSync(path.join(here, "node_modules", "@asyncapi", "parser", "package.json"), "utf8")).version;
}
