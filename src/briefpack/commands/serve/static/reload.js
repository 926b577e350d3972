// Live reload: wait on the server for the next epoch (one prepare per change), then reload,
// unless an edit box or field holds unsaved text (the bar says so; it reloads once that is
// approved).
(function () {
  'use strict';
  const meta = document.querySelector('meta[name="briefpack-epoch"]');
  if (!meta) { return; }
  const epoch = meta.content;
  const dirty = () => document.querySelector('[data-dirty="1"]') !== null;
  async function poll() {
    let wait = 0;
    try {
      const r = await fetch('/api/epoch?since=' + epoch, {cache: 'no-store'});
      if (!r.ok) { throw new Error(String(r.status)); }
      const now = String((await r.json()).epoch);
      if (now !== epoch) {
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
