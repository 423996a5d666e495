// A small Markdown reader for the explanations: paragraphs, "- " lists, fenced code,
// `code`, **bold** and *emphasis*. It builds DOM nodes and sets only textContent, so
// nothing in an explanation is ever parsed as HTML.
"use strict";

window.LearnflowMarkdown = (function () {
  const INLINE = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*)/g;

  function inline(parent, text) {
    let last = 0;
    for (const match of text.matchAll(INLINE)) {
      if (match.index > last) parent.append(text.slice(last, match.index));
      const token = match[0];
      let node;
      if (token.startsWith("`")) {
        node = document.createElement("code");
        node.textContent = token.slice(1, -1);
      } else if (token.startsWith("**")) {
        node = document.createElement("strong");
        node.textContent = token.slice(2, -2);
      } else {
        node = document.createElement("em");
        node.textContent = token.slice(1, -1);
      }
      parent.append(node);
      last = match.index + token.length;
    }
    if (last < text.length) parent.append(text.slice(last));
  }

  function render(markdown) {
    const root = document.createDocumentFragment();
    const lines = String(markdown).replace(/\r\n?/g, "\n").split("\n");
    let paragraph = [];
    let list = null;

    function flush() {
      if (paragraph.length) {
        const p = document.createElement("p");
        inline(p, paragraph.join(" "));
        root.append(p);
        paragraph = [];
      }
      list = null;
    }

    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line.startsWith("```")) {
        flush();
        const code = [];
        for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
        const pre = document.createElement("pre");
        const el = document.createElement("code");
        el.textContent = code.join("\n");
        pre.append(el);
        root.append(pre);
      } else if (/^\s*[-*] /.test(line)) {
        if (paragraph.length) flush();
        if (!list) {
          list = document.createElement("ul");
          root.append(list);
        }
        const li = document.createElement("li");
        inline(li, line.replace(/^\s*[-*] /, ""));
        list.append(li);
      } else if (line.trim() === "") {
        flush();
      } else {
        list = null;
        paragraph.push(line.trim());
      }
    }
    flush();
    return root;
  }

  return { render };
})();
