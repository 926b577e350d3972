// The one way serve's pages write: a JSON POST carrying the page's token (X-Briefpack-Token,
// from <meta name="briefpack-token">). Answers {status, ok, data}; when the server cannot be
// reached or answers no JSON, data is {error: 'no answer from the server'}.
(function () {
  'use strict';
  const meta = document.querySelector('meta[name="briefpack-token"]');
  const TOKEN = meta ? meta.content : '';
  window.briefpackPost = async function (url, body) {
    let data = {error: 'no answer from the server'};
    let status = 0;
    try {
      const r = await fetch(url, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Briefpack-Token': TOKEN},
        body: JSON.stringify(body),
      });
      status = r.status;
      data = await r.json();
    } catch (e) { /* keep the message above */ }
    return {status, ok: status >= 200 && status < 300, data};
  };
}());
