// Live reload: wait on the server for the next epoch (one prepare per change), then reload,
// unless an edit box or field holds unsaved text (the bar says so; it reloads once that is
// approved).
(function () {
  'use strict';
  const meta = document.querySelector('meta[name="briefpack-epoch"]');
  if (!meta) { return; }
  let epoch = meta.content;
  const dirty = () => document.querySelector('[data-dirty="1"]') !== null;
  async function poll() {
    let wait = 0;
    try {
      const r = await fetch('/api/epoch?since=' + epoch, {cache: 'no-store'});
      if (!r.ok) { throw new Error(String(r.status)); }
      const now = String((await r.json()).epoch);
      // A page that brings itself up to date in place (the editor, when its own file did
      // not change) says so by answering `briefpackStay` with true: then it stays.
      if (now !== epoch && window.briefpackStay && await window.briefpackStay()) {
        epoch = now;
        document.body.classList.remove('bp-stale');
      } else if (now !== epoch) {
        if (!dirty()) { location.reload(); return; }
        document.body.classList.add('bp-stale');
        wait = 1000;
      }
    } catch (e) {
      wait = 3000;  // the server is restarting or gone: try again
    }
    setTimeout(poll, wait);
  }
  poll();
})();
