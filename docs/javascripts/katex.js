// Typeset the maths that pymdownx.arithmatex marked (class "arithmatex") with KaTeX, served by this site.
// A formula KaTeX rejects is reported on the console and marked with the class "nnmath-math-error",
// so that a broken formula is never silent (the browser tests count both).
function nnmathTypeset(root) {
  for (const el of root.querySelectorAll(".arithmatex")) {
    if (el.dataset.typeset) continue;
    const display = el.tagName === "DIV";
    const tex = el.textContent.trim().slice(2, -2); // strip \( \) or \[ \]
    try {
      katex.render(tex, el, { displayMode: display, throwOnError: true, strict: "error" });
      el.dataset.typeset = "ok";
    } catch (err) {
      el.classList.add("nnmath-math-error");
      el.dataset.typeset = "error";
      console.error("nnmath: KaTeX cannot typeset " + JSON.stringify(tex) + ": " + err.message);
    }
  }
}

document$.subscribe(({ body }) => nnmathTypeset(body));
