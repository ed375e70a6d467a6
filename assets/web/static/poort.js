/* poort.js - enhancement only: every page works without it. Elements with
 * data-live="URL" are refreshed from URL (an HTML fragment rendered and
 * escaped by the server) every few seconds, e.g. the teacher's Today page. */
'use strict';
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('[data-live]').forEach(function (el) {
    var url = el.getAttribute('data-live');
    setInterval(function () {
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && html !== el.innerHTML) el.innerHTML = html; })
        .catch(function () {});
    }, 3000);
  });
});
document.addEventListener('click', function (e) {
  if (e.target && e.target.hasAttribute && e.target.hasAttribute('data-print')) window.print();
});
