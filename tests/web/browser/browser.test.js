// browser.test.js - poortd in Debian's chromium (playwright-core, never a
// downloaded browser): a teacher sees an absence appear live when a parent
// reports it; a parent on a phone-sized screen books a conversation; the
// administrator's console. Screenshots (phone and desktop, Dutch and
// English) go to the directory given as the third argument.
//   node browser.test.js <poortd> <poortctl> <screenshot dir>
'use strict';
const { chromium } = require('playwright-core');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [poortd, poortctl, shots] = process.argv.slice(2);
let failures = 0;
function check(ok, what) {
  if (!ok) { failures++; console.error('FAILED: ' + what); } else console.log('ok: ' + what);
}

function startPoortd(data) {
  return new Promise((resolve, reject) => {
    const p = spawn(poortd, ['--data', data, '--listen', '127.0.0.1:0', '--threads', '2'],
                    { stdio: ['ignore', 'pipe', fs.openSync(path.join(shots, 'poortd.log'), 'w')] });
    let out = '';
    p.stdout.on('data', (b) => {
      out += b.toString();
      const m = out.match(/https:\/\/127\.0\.0\.1:(\d+)\//);
      if (m && out.includes('fingerprint')) resolve({ proc: p, base: 'https://127.0.0.1:' + m[1] });
    });
    p.on('exit', (code) => reject(new Error('poortd exited ' + code)));
  });
}

async function login(page, base, user, pass) {
  await page.goto(base + '/login');
  await page.fill('#username', user);
  await page.fill('#password', pass);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
}

(async () => {
  fs.mkdirSync(shots, { recursive: true });
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'poort-browser-'));
  const demo = execFileSync(poortctl, ['--data', data, 'demo'], { env: { ...process.env, POORT_KDF: 'test' } }).toString();
  // Demo logins as poortctl prints them.
  const parents = [...demo.matchAll(/e-mail (\S+)\s+wachtwoord (\S+)/g)].map((m) => ({ user: m[1], pass: m[2] }));
  const staff = [...demo.matchAll(/^\s+(\w+)\s+(\S+-\S+-\d+)\s+(.*)$/gm)].map((m) => ({ user: m[1], pass: m[2], what: m[3] }));
  check(parents.length >= 1 && staff.length >= 1, 'demo logins found');
  const admin = staff.find((s) => /administratie/.test(s.what));
  const ib = staff.find((s) => /intern begeleider/.test(s.what));

  const d = await startPoortd(data);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
           '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  try {
    // Dutch browsers, as at a Dutch school (headless chromium says en-US).
    const phone = { viewport: { width: 390, height: 844 }, ignoreHTTPSErrors: true, deviceScaleFactor: 1,
                    isMobile: true, hasTouch: true, locale: 'nl-NL' };
    const desktop = { viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true, locale: 'nl-NL' };

    // Login page, phone, Dutch.
    const pc = await browser.newContext(phone);
    const pp = await pc.newPage();
    const jsErrors = [];
    pp.on('pageerror', (e) => jsErrors.push(e.message));
    await pp.goto(d.base + '/login');
    await pp.screenshot({ path: path.join(shots, 'login-phone-nl.png'), fullPage: true });
    check((await pp.textContent('h1')).includes('Inloggen'), 'Dutch login page');

    // Staff member who sees every group (the teacher's Today page), desktop.
    const tc = await browser.newContext(desktop);
    const tp = await tc.newPage();
    tp.on('pageerror', (e) => jsErrors.push(e.message));
    await login(tp, d.base, ib.user, ib.pass);
    await tp.goto(d.base + '/today');
    await tp.screenshot({ path: path.join(shots, 'today-desktop-nl.png'), fullPage: true });

    // The parent reports a child absent on the phone ...
    const parent = parents[parents.length - 1];
    await login(pp, d.base, parent.user, parent.pass);
    check(pp.url().endsWith('/parent'), 'parent lands on /parent');
    await pp.screenshot({ path: path.join(shots, 'parent-phone-nl.png'), fullPage: true });
    const child = (await pp.textContent('#pupil option')).trim().split(' (')[0];
    await pp.fill('#note', 'Koorts');
    await Promise.all([pp.waitForNavigation(), pp.click('form[action="/parent/absence"] button[type=submit]')]);
    await pp.screenshot({ path: path.join(shots, 'absence-done-phone-nl.png'), fullPage: true });
    check((await pp.content()).includes('ontvangen'), 'absence report received');

    // ... and it appears on the open Today page without a reload.
    let seen = false;
    await tp.bringToFront();   // background tabs get their timers throttled
    // Bounded: at most 20 looks, one a second (poort.js fetches every 3 s).
    for (let i = 0; i < 20 && !seen; i++) {
      seen = (await tp.textContent('#live')).includes(child);
      if (!seen) await tp.waitForTimeout(1000);
    }
    check(seen, 'the absence of ' + child + ' appears live on Today');
    await tp.screenshot({ path: path.join(shots, 'today-live-desktop-nl.png'), fullPage: true });

    // The parent books a conversation slot on the phone.
    await pp.goto(d.base + '/parent');
    // A demo family may already have its conversation: cancel it first.
    const cancel = await pp.$('form[action="/parent/cancel"] button');
    if (cancel) {
      await Promise.all([pp.waitForNavigation(), cancel.click()]);
      check(pp.url().includes('cancelled=1'), 'cancelled the existing conversation');
    }
    const bookLink = await pp.$('a.button[href^="/parent/book"]');
    check(bookLink !== null, 'a round to book in');
    if (bookLink) {
      await Promise.all([pp.waitForNavigation(), bookLink.click()]);
      await pp.screenshot({ path: path.join(shots, 'book-phone-nl.png'), fullPage: true });
      const slot = await pp.$('ul.slots button');
      if (slot) {
        await Promise.all([pp.waitForNavigation(), slot.click()]);
        check(pp.url().includes('booked=1') && (await pp.content()).includes('Uw gesprek is ingepland'),
              'the conversation is booked: ' + pp.url());
        await pp.screenshot({ path: path.join(shots, 'booked-phone-nl.png'), fullPage: true });
      } else {
        check(false, 'free slots listed');
      }
    }

    // A teacher's conversation schedule (printable) with invitations.
    const teacher = staff.find((s) => /groep/.test(s.what));
    if (teacher) {
      const kc = await browser.newContext(desktop);
      const kp = await kc.newPage();
      await login(kp, d.base, teacher.user, teacher.pass);
      await kp.goto(d.base + '/conversations');
      await kp.screenshot({ path: path.join(shots, 'conversations-desktop-nl.png'), fullPage: false });
      check((await kp.content()).includes('Uitloop'), 'the teacher\'s conversations page');
      await kc.close();
    }

    // A family with children in two groups: back-to-back proposals.
    const two = [...demo.matchAll(/^\s+(.+) \(G\d+, kinderen in twee groepen\)\s*\n.*\n\s+e-mail (\S+)\s+wachtwoord (\S+)/gm)][0];
    if (two) {
      const sc = await browser.newContext(phone);
      const sp = await sc.newPage();
      await login(sp, d.base, two[2], two[3]);
      const sib = await sp.$('a[href^="/parent/siblings"]');
      check(sib !== null, 'a back-to-back link for a family with two children');
      if (sib) {
        await Promise.all([sp.waitForNavigation(), sib.click()]);
        await sp.screenshot({ path: path.join(shots, 'siblings-phone-nl.png'), fullPage: true });
        check((await sp.content()).includes('Deze samen inplannen'), 'back-to-back proposals shown');
      }
      await sc.close();
    }

    // English, on the phone.
    await pp.goto(d.base + '/lang?to=en');
    await pp.screenshot({ path: path.join(shots, 'parent-phone-en.png'), fullPage: true });
    check((await pp.content()).includes('Report your child absent'), 'English parent page');

    // The administrator's console, the evacuation list, a parent card.
    const ac = await browser.newContext(desktop);
    const ap = await ac.newPage();
    ap.on('pageerror', (e) => jsErrors.push(e.message));
    await login(ap, d.base, admin.user, admin.pass);
    await ap.goto(d.base + '/admin');
    await ap.screenshot({ path: path.join(shots, 'admin-desktop-nl.png'), fullPage: true });
    check((await ap.content()).includes('Systeemstatus'), 'admin console');
    // A CSV import with a wrong date on line 3: the page names the line.
    await ap.goto(d.base + '/admin/import');
    await ap.selectOption('#kind', 'pupils');
    await ap.fill('#csv', 'leerlingnummer;voornaam;achternaam;geboortedatum;groep\n' +
                          'L9001;Anna;Visser;2019-05-01;3\nL9002;Bram;Visser;31-02-2019;3\n');
    await Promise.all([ap.waitForNavigation(), ap.click('form.card button[type=submit]')]);
    const importText = await ap.textContent('main');
    check(importText.includes('Regel 3') && importText.includes('geboortedatum'), 'the import names line 3');
    await ap.screenshot({ path: path.join(shots, 'import-error-desktop-nl.png'), fullPage: false });
    await ap.goto(d.base + '/admin/building');
    await ap.screenshot({ path: path.join(shots, 'building-desktop-nl.png'), fullPage: false });
    await ap.goto(d.base + '/admin/audit');
    await ap.screenshot({ path: path.join(shots, 'audit-desktop-nl.png'), fullPage: false });
    // A pupil card (with a new parent card from it), the register.
    const pupils = await (await ap.request.get(d.base + '/api/v1/pupils')).json();
    check(pupils.length > 100, 'the administrator sees the whole school');
    await ap.goto(d.base + '/pupils/' + pupils[0].id);
    await ap.screenshot({ path: path.join(shots, 'pupil-desktop-nl.png'), fullPage: true });
    const cardButton = await ap.$('form[action="/admin/card"] button');
    if (cardButton) {
      await Promise.all([ap.waitForNavigation(), cardButton.click()]);
      check((await ap.$('svg.qr')) !== null, 'a parent card with a QR code');
      await ap.screenshot({ path: path.join(shots, 'card-desktop-nl.png'), fullPage: true });
    }
    await ap.goto(d.base + '/register?group=' + pupils[0].group);
    await ap.screenshot({ path: path.join(shots, 'register-desktop-nl.png'), fullPage: false });
    await ap.goto(d.base + '/lang?to=en');
    await ap.goto(d.base + '/admin');
    await ap.screenshot({ path: path.join(shots, 'admin-desktop-en.png'), fullPage: true });
    check(jsErrors.length === 0, 'no script errors: ' + jsErrors.join('; '));
  } finally {
    await browser.close();
    d.proc.kill('SIGTERM');
    await new Promise((r) => d.proc.on('exit', r));
    fs.rmSync(data, { recursive: true, force: true });
  }
  console.log(failures ? failures + ' check(s) failed' : 'all checks passed');
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
