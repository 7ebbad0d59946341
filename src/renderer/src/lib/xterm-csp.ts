// xterm.js writes its theme and layout rules into <style> elements, which the app's CSP
// (style-src 'self', no 'unsafe-inline') does not apply. Constructed stylesheets are not
// inline styles: mirror every <style> xterm puts under `root` into one, and adopt it.

export function adoptInlineStyles(root: HTMLElement): () => void {
  const sheets = new Map<HTMLStyleElement, { sheet: CSSStyleSheet; text: string | null }>();
  let owned = new Set<CSSStyleSheet>();

  const sync = () => {
    for (const el of root.querySelectorAll('style')) {
      let entry = sheets.get(el);
      if (!entry) {
        entry = { sheet: new CSSStyleSheet(), text: null };
        sheets.set(el, entry);
      }
      const text = el.textContent ?? '';
      if (text !== entry.text) {
        entry.text = text;
        try {
          entry.sheet.replaceSync(text);
        } catch {
          // Keep the previous rules.
        }
      }
    }
    for (const el of [...sheets.keys()]) if (!root.contains(el)) sheets.delete(el);
    const ours = new Set([...sheets.values()].map((e) => e.sheet));
    const others = document.adoptedStyleSheets.filter((s) => !owned.has(s));
    owned = ours;
    document.adoptedStyleSheets = [...others, ...ours];
  };

  const isStyle = (node: Node | null) => node instanceof HTMLStyleElement || node?.parentNode instanceof HTMLStyleElement;
  // The terminal's rows change all the time; only changes to <style> elements matter here.
  const observer = new MutationObserver((mutations) => {
    if (mutations.some((m) => isStyle(m.target) || [...m.addedNodes].some(isStyle) || [...m.removedNodes].some(isStyle))) sync();
  });
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => !owned.has(s));
  };
}
