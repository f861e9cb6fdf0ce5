import { PAGE_STRINGS, symptomTitles } from './strings';

// The page is three static files so that `Content-Security-Policy: default-src 'self'` holds:
// no inline script or style. Everything dynamic is set with textContent in page.js; the page
// never builds HTML from data.

export const PAGE_HTML = `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tillscope</title>
<link rel="stylesheet" href="/page.css">
<script src="/page.js" defer></script>
</head>
<body>
<header>
  <div id="health" class="health"></div>
  <div class="lang" role="group">
    <button type="button" id="lang-ru" data-locale="ru">RU</button>
    <button type="button" id="lang-en" data-locale="en">EN</button>
  </div>
</header>
<main>
  <form id="report-form" novalidate>
    <h1 id="heading" data-i18n="heading"></h1>
    <div id="symptoms" class="symptoms" role="group" aria-labelledby="heading"></div>
    <input id="note" type="text" maxlength="500" autocomplete="off">
    <p id="form-error" class="error" role="alert"></p>
    <button type="submit" id="send" class="send" data-i18n="send"></button>
  </form>
  <section id="result" class="result" hidden>
    <h1 id="result-title" tabindex="-1"></h1>
    <div id="not-saved" class="alarm" role="alert" hidden>
      <p id="not-saved-ru" lang="ru"></p>
      <p id="not-saved-en" lang="en"></p>
    </div>
    <p id="result-react" class="react"></p>
    <p id="result-status" class="status" role="status"></p>
    <div id="working" class="working" role="group" aria-labelledby="working-question" hidden>
      <p id="working-question" class="question" tabindex="-1" data-i18n="workingQuestion"></p>
      <button type="button" id="working-yes" class="answer" data-i18n="yes"></button>
      <button type="button" id="working-no" class="answer" data-i18n="no"></button>
    </div>
    <p id="auto-close" class="status"></p>
    <p id="answer-note" class="status" role="status"></p>
    <div id="test-print" class="working" hidden>
      <p data-i18n="testPrintQuestion"></p>
      <button type="button" id="test-print-yes" class="answer" data-i18n="testPrintYes"></button>
      <button type="button" id="test-print-no" class="answer" data-i18n="testPrintNo"></button>
    </div>
    <p id="test-print-note" class="status" role="status"></p>
    <button type="button" id="new-report" class="secondary" data-i18n="newReport"></button>
  </section>
</main>
</body>
</html>
`;

export const PAGE_CSS = `
* { box-sizing: border-box; }
/* Keyboard users must see where they are: a thick ring on whatever has focus (mouse and touch do not show it). */
:focus-visible { outline: 4px solid #0b57d0; outline-offset: 3px; }
h1:focus, .question:focus { outline: none; }
button { cursor: pointer; touch-action: manipulation; }
body { margin: 0; font: 20px/1.4 system-ui, "Segoe UI", Arial, sans-serif; background: #f4f5f7; color: #1d2330; }
header { display: flex; justify-content: space-between; align-items: center; padding: 12px 20px; background: #fff; border-bottom: 1px solid #d8dce3; }
.health { font-size: 18px; }
.health .bad { color: #b3261e; font-weight: 600; }
.health .good { color: #1e7d32; }
.lang button { min-width: 64px; min-height: 48px; font-size: 18px; border: 1px solid #8a94a6; background: #fff; }
.lang button[aria-pressed="true"] { background: #1d2330; color: #fff; }
main { max-width: 760px; margin: 0 auto; padding: 20px; }
h1 { font-size: 30px; margin: 12px 0 20px; }
.symptoms { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.symptoms button { min-height: 120px; font-size: 24px; border: 3px solid #8a94a6; border-radius: 12px; background: #fff; padding: 12px; }
.symptoms button[aria-pressed="true"] { border-color: #0b57d0; background: #e3ecfd; font-weight: 600; }
#note { display: block; width: 100%; margin: 20px 0 8px; min-height: 60px; font-size: 22px; padding: 8px 12px; border: 2px solid #8a94a6; border-radius: 8px; }
.send { width: 100%; min-height: 80px; font-size: 28px; border: 0; border-radius: 12px; background: #0b57d0; color: #fff; }
.send:disabled { background: #8a94a6; }
.error { color: #b3261e; min-height: 1.4em; }
.alarm { border: 4px solid #b3261e; border-radius: 12px; background: #fdecea; color: #8c1d18; padding: 8px 16px; font-size: 22px; font-weight: 600; }
.react { font-size: 24px; }
.status { font-size: 22px; }
.question { font-size: 26px; font-weight: 600; margin: 16px 0 4px; }
.working button, .secondary { min-height: 72px; min-width: 160px; font-size: 24px; margin: 8px 12px 8px 0; border-radius: 12px; border: 2px solid #1d2330; background: #fff; }
`;

const PAGE_SCRIPT = `'use strict';
(function () {
  var DATA = __DATA__;
  var locale = 'ru';
  var selected = null;
  var reportId = null;
  var report = null;
  var answer = null;
  var answerFailed = false;
  // While an answer is on its way, a poll may still carry the previous one: do not let it win.
  var answering = false;
  var connected = true;
  var health = null;
  var registerId = '';
  // The agent lost a report it had not saved (it restarted): the page must not just forget it.
  var lost = false;
  var pollTimer = null;
  var canTestPrint = false;
  // The test print offer: null (not for this report), 'offer', 'running', 'declined', or its result.
  var testPrint = null;
  // Whether the page was already asking "is it working?" (focus moves there only when it starts).
  var wasAsking = false;

  try {
    if (localStorage.getItem('tillscope.locale') === 'en') locale = 'en';
    reportId = localStorage.getItem('tillscope.report');
  } catch (e) { /* storage disabled: the page still works */ }

  function $(id) { return document.getElementById(id); }
  function t(key) { return DATA.strings[locale][key]; }
  function fill(text, n) { return text.split('{n}').join(String(n)); }
  function minutes(n) {
    if (locale === 'ru') return n + ' ' + (n % 10 === 1 && n % 100 !== 11 ? t('minutesOne') : t('minutesMany'));
    return n + ' ' + (n === 1 ? t('minutesOne') : t('minutesMany'));
  }
  // A time on this register's own clock; with the date when it is not today.
  function clock(iso, withDate) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    var opts = { hour: '2-digit', minute: '2-digit' };
    if (withDate && d.toDateString() !== new Date().toDateString()) { opts.day = 'numeric'; opts.month = 'long'; }
    try { return d.toLocaleString(locale === 'ru' ? 'ru-RU' : 'en-GB', opts); } catch (e) { return d.toISOString().slice(11, 16); }
  }
  function remember(key, value) {
    try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) { /* ignore */ }
  }

  // The buttons are made once and then only updated: rebuilding them would drop the keyboard focus
  // from the button just pressed with Space or Enter.
  function renderSymptoms() {
    var box = $('symptoms');
    if (!box.firstChild) {
      DATA.symptoms.forEach(function (s) {
        var b = document.createElement('button');
        b.type = 'button';
        b.setAttribute('data-symptom', s.id);
        b.addEventListener('click', function () { selected = s.id; $('form-error').textContent = ''; renderSymptoms(); });
        box.appendChild(b);
      });
    }
    Array.prototype.forEach.call(box.querySelectorAll('button'), function (b, i) {
      var s = DATA.symptoms[i];
      b.textContent = s.title[locale];
      b.setAttribute('aria-pressed', String(selected === s.id));
    });
  }

  function renderHealth() {
    var box = $('health');
    while (box.firstChild) box.removeChild(box.firstChild);
    var link = document.createElement('span');
    link.className = connected ? 'good' : 'bad';
    link.textContent = connected ? t('online') : t('offline');
    box.appendChild(link);
    if (health) {
      var dev = document.createElement('span');
      var bad = health.some(function (d) { return d.health === 'fault' || d.health === 'warning'; });
      var unknown = health.length === 0 || health.some(function (d) { return d.health === 'unknown'; });
      dev.className = bad ? 'bad' : 'good';
      dev.textContent = ' · ' + (bad ? t('devicesProblem') : unknown ? t('devicesUnknown') : t('devicesOk'));
      box.appendChild(dev);
    }
  }

  function unsaved() {
    return lost || (!!report && report.state === 'queued' && report.saved === false);
  }

  // Not saved is said in both languages, Russian first, whatever the chosen one: it must be read.
  function renderNotSaved() {
    var show = unsaved();
    $('not-saved').hidden = !show;
    var key = lost ? 'notSavedLost' : 'notSaved';
    $('not-saved-ru').textContent = show ? fill(DATA.strings.ru[key], registerId || '?') : '';
    $('not-saved-en').textContent = show ? fill(DATA.strings.en[key], registerId || '?') : '';
  }

  function renderResult() {
    var showing = reportId !== null;
    $('report-form').hidden = showing;
    $('result').hidden = !showing;
    if (!showing) return;
    renderNotSaved();
    var title = unsaved() ? t('notSavedTitle') : t('reportSaved');
    var react = '';
    var status = '';
    var ticket = report && report.ticket;
    if (ticket) {
      title = fill(t('ticketNumber'), ticket.ticketId);
      react = fill(t('reactWithin'), minutes(ticket.reactMinutes));
      if (ticket.reactBy) react += ' ' + fill(t('reactUntil'), clock(ticket.reactBy, false));
      // Older consoles send no progress: the status says enough.
      status = ticket.progress ? t('progress_' + ticket.progress) : t('status') + ': ' + t('status_' + ticket.status);
    } else if (report && report.state === 'rejected') {
      status = t('rejected');
    } else if (report && report.state === 'delivered') {
      status = t('waitingTicket');
    } else if (!unsaved()) {
      status = connected ? t('sendingNow') : t('savedOffline');
    }
    $('result-title').textContent = title;
    $('result-react').textContent = react;
    $('result-status').textContent = status;
    // Asked only of a resolved ticket: a closed one is settled, an open one is still being worked on.
    var resolved = !!ticket && ticket.status === 'resolved';
    var asking = resolved && answer === null;
    $('working').hidden = !asking;
    $('auto-close').textContent = asking && ticket.autoCloseAt ? fill(t('autoClose'), clock(ticket.autoCloseAt, true)) : '';
    // The question just appeared: take the keyboard there (not onto "Да", so a stray Enter answers nothing).
    if (asking && !wasAsking) $('working-question').focus();
    wasAsking = asking;
    var note = '';
    if (answerFailed) note = t('answerFailed');
    else if (answer === true) note = t('answerThanks');
    else if (answer === false) note = t('answerReopened');
    $('answer-note').textContent = note;
    renderTestPrint();
  }

  function renderTestPrint() {
    $('test-print').hidden = !(testPrint === 'offer' && canTestPrint);
    var text = '';
    if (testPrint === 'running') text = t('testPrinting');
    else if (testPrint === 'error') text = t('testPrintError');
    else if (testPrint && testPrint.outcome) text = t('testPrint_' + testPrint.outcome) + ' ' + t(testPrint.saved ? 'testPrintSaved' : 'testPrintNotSaved');
    $('test-print-note').textContent = text;
  }

  // Runs only on the cashier's "yes"; the result is shown, and whether it was saved to reach support.
  function runTestPrint() {
    if (reportId === null || testPrint !== 'offer') return;
    testPrint = 'running';
    renderTestPrint();
    api('POST', '/api/reports/' + encodeURIComponent(reportId) + '/test-print', {}).then(function (res) {
      if (!res.ok) throw new Error(res.body && res.body.message);
      testPrint = { outcome: res.body.outcome, saved: res.body.saved === true };
    }).catch(function () {
      testPrint = 'error';
    }).then(renderTestPrint);
  }

  function render() {
    document.documentElement.lang = locale;
    document.title = t('pageTitle');
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) {
      el.textContent = t(el.getAttribute('data-i18n'));
    });
    $('note').placeholder = t('notePlaceholder');
    $('lang-ru').setAttribute('aria-pressed', String(locale === 'ru'));
    $('lang-en').setAttribute('aria-pressed', String(locale === 'en'));
    $('lang-ru').title = $('lang-en').title = t('language');
    renderSymptoms();
    renderHealth();
    renderResult();
  }

  function api(method, path, body) {
    var init = { method: method, headers: { 'Accept': 'application/json' }, cache: 'no-store' };
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (res) {
      return res.json().then(function (json) { return { ok: res.ok, status: res.status, body: json }; });
    });
  }

  function poll() {
    if (reportId === null) return;
    api('GET', '/api/reports/' + encodeURIComponent(reportId)).then(function (res) {
      if (res.status === 404 && unsaved()) { lost = true; stopPolling(); renderResult(); return; }
      if (res.status === 404) { reportId = null; report = null; remember('tillscope.report', null); render(); return; }
      if (!res.ok) return;
      report = res.body;
      connected = res.body.connected;
      // null again after a reopened ticket is resolved anew: the page asks again.
      if (!answering) answer = res.body.working === true || res.body.working === false ? res.body.working : null;
      renderHealth();
      renderResult();
    }).catch(function () { /* the agent restarts: keep polling */ });
  }

  function loadStatus() {
    api('GET', '/api/status').then(function (res) {
      if (!res.ok) return;
      connected = res.body.connected;
      health = res.body.devices;
      registerId = res.body.registerId || registerId;
      canTestPrint = res.body.canTestPrint === true;
      renderHealth();
      renderResult();
    }).catch(function () {});
  }

  function stopPolling() {
    if (pollTimer !== null) { clearInterval(pollTimer); pollTimer = null; }
  }

  function startPolling() {
    stopPolling();
    poll();
    pollTimer = setInterval(poll, 2000);
  }

  function showReport(id, known) {
    reportId = id;
    report = known;
    answer = null;
    answerFailed = false;
    lost = false;
    wasAsking = false;
    remember('tillscope.report', reportId);
    render();
    // Keyboard and screen reader land on the acknowledgement, not on a button that went away.
    $('result-title').focus();
    startPolling();
  }

  function submit(event) {
    event.preventDefault();
    if (selected === null) { $('form-error').textContent = t('chooseSymptom'); return; }
    var send = $('send');
    send.disabled = true;
    send.textContent = t('sending');
    api('POST', '/api/reports', { symptom: selected, note: $('note').value, locale: locale }).then(function (res) {
      // Held in memory only: the agent keeps retrying it, the page follows it and says it is NOT saved.
      if (res.status === 503 && res.body && res.body.code === 'not_saved') {
        registerId = res.body.registerId || registerId;
        showReport(res.body.reportId, { state: 'queued', saved: false, ticket: null, working: null });
        return;
      }
      if (!res.ok) throw new Error(res.body && res.body.message);
      // A printer problem: offer a test print (it runs only if the cashier agrees).
      testPrint = selected === 'no_receipt' ? 'offer' : null;
      showReport(res.body.reportId, null);
    }).catch(function () {
      $('form-error').textContent = t('sendFailed');
    }).then(function () {
      send.disabled = false;
      send.textContent = t('send');
    });
  }

  function answerWorking(value) {
    if (reportId === null) return;
    answer = value;
    answerFailed = false;
    answering = true;
    renderResult();
    api('POST', '/api/reports/' + encodeURIComponent(reportId) + '/answer', { working: value }).then(function (res) {
      if (!res.ok) throw new Error(res.body && res.body.message);
    }).catch(function () {
      // Not saved: ask again rather than thank the cashier for an answer nobody will hear.
      answer = null;
      answerFailed = true;
    }).then(function () {
      answering = false;
      renderResult();
    });
  }

  function newReport() {
    reportId = null; report = null; answer = null; answerFailed = false; selected = null; lost = false; testPrint = null;
    remember('tillscope.report', null);
    stopPolling();
    $('note').value = '';
    render();
    var first = $('symptoms').querySelector('button');
    if (first) first.focus();
  }

  function setLocale(next) { locale = next; remember('tillscope.locale', next); render(); }

  document.addEventListener('DOMContentLoaded', function () {
    $('report-form').addEventListener('submit', submit);
    $('lang-ru').addEventListener('click', function () { setLocale('ru'); });
    $('lang-en').addEventListener('click', function () { setLocale('en'); });
    $('working-yes').addEventListener('click', function () { answerWorking(true); });
    $('working-no').addEventListener('click', function () { answerWorking(false); });
    $('new-report').addEventListener('click', newReport);
    $('test-print-yes').addEventListener('click', runTestPrint);
    $('test-print-no').addEventListener('click', function () { testPrint = 'declined'; renderTestPrint(); });
    render();
    loadStatus();
    setInterval(loadStatus, 10000);
    if (reportId !== null) startPolling();
  });
})();
`;

/** page.js with the strings baked in, so the page makes no request before it can show text. */
export function pageScript(): string {
  const data = JSON.stringify({ strings: PAGE_STRINGS, symptoms: symptomTitles() }).replace(/</g, '\\u003c');
  return PAGE_SCRIPT.replace('__DATA__', () => data);
}
