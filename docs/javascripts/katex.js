// The maths is rendered to HTML at build time (nnmath/render/site/prerender.py): each formula arrives with
// data-typeset="ok" and no script runs for it.  Only a formula left untypeset (one added later to the page)
// loads KaTeX, served by this site, and is typeset here.  A formula KaTeX rejects is reported on the console
// and marked with the class "nnmath-math-error", so that a broken formula is never silent (the browser tests
// count both).
const nnmathKatexSrc = document.currentScript.src.replace(/javascripts\/katex\.js(\?.*)?$/, "assets/katex/katex.min.js");
let nnmathKatex = null;

function nnmathLoadKatex() {
  if (window.katex) return Promise.resolve();
  nnmathKatex ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = nnmathKatexSrc;
    script.onload = resolve;
    script.onerror = () => reject(new Error("cannot load " + nnmathKatexSrc));
    document.head.append(script);
  });
  return nnmathKatex;
}

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

function nnmathTypesetLeft(root) {
  if (!root.querySelector(".arithmatex:not([data-typeset])")) return Promise.resolve();
  return nnmathLoadKatex().then(() => nnmathTypeset(root), (err) => console.error("nnmath: " + err.message));
}

document$.subscribe(({ body }) => nnmathTypesetLeft(body));
