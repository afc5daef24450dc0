// Parse Mermaid diagrams with Mermaid itself: `node tests/mermaid_parse.mjs [--json] FILE...`
// (FILE "-" reads stdin). Exits 1 and prints the parser's message when a file does not parse.
// With --json, prints what Mermaid read from each journey diagram: title, sections, tasks.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

// Mermaid sets up DOMPurify at import time, which needs a DOM.
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

const args = process.argv.slice(2);
const asJson = args[0] === '--json';
const files = asJson ? args.slice(1) : args;
if (files.length === 0) {
  console.error('usage: node tests/mermaid_parse.mjs [--json] FILE...');
  process.exit(2);
}
const results = [];
for (const file of files) {
  const text = readFileSync(file === '-' ? 0 : file, 'utf8');
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const result = { file, type: diagram.type };
    if (diagram.type === 'journey') {
      result.title = db.getDiagramTitle();
      result.sections = [...db.getSections()];  // a copy: the next diagram reuses the db
      result.tasks = db.getTasks().map((t) => ({
        section: t.section, task: t.task, score: t.score, people: t.people,
      }));
    }
    results.push(result);
  } catch (err) {
    console.error(`${file}: ${err.message ?? err}`);
    process.exit(1);
  }
}
if (asJson) console.log(JSON.stringify(results));
