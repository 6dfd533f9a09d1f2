// Connects Hawtio 4 to the service's Jolokia, with the Jolokia credentials, and takes the screenshots of the README
// (docs/hawtio/routes.png, docs/hawtio/transcode-diagram.png), headless. Fails when a step does not show what it should.
//   npm install --prefix /tmp/hawtio-check playwright-core@1    (drives Debian's chromium: apt-get install chromium)
//   NODE_PATH=/tmp/hawtio-check/node_modules HAWTIO=http://127.0.0.1:8090 SERVICE_PORT=8080 \
//     JOLOKIA_USER=... JOLOKIA_PASSWORD=... node docs/hawtio/check-hawtio.js
// docs/hawtio/run-hawtio.sh starts Hawtio; run some jobs first, so that the counters show something.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

(async () => {
  const hawtio = process.env.HAWTIO || 'http://127.0.0.1:8090';
  const out = process.env.OUT_DIR || __dirname;
  // a fresh profile every run: no stored connection or session from an earlier one
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'hawtio-check-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    viewport: { width: 1500, height: 950 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    await page.goto(hawtio + '/hawtio/connect', { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.fill('#connection-form-name', 'media-compression');
    await page.locator('#connection-form-scheme').uncheck({ force: true });   // the switch says HTTPS: off
    await page.fill('#connection-form-host', process.env.SERVICE_HOST || 'localhost');
    await page.fill('#connection-form-port', process.env.SERVICE_PORT || '8080');
    await page.fill('#connection-form-path', '/observe/jolokia');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    // Connect opens the connection in a new window, which asks for the Jolokia credentials
    const [win] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Connect', exact: true }).first().click(),
    ]);
    await win.waitForSelector('#connect-login-form-username');
    await win.fill('#connect-login-form-username', process.env.JOLOKIA_USER);
    await win.fill('#connect-login-form-password', process.env.JOLOKIA_PASSWORD);
    await win.getByRole('button', { name: 'Log in' }).click();
    await win.getByText('Camel', { exact: true }).first().waitFor({ timeout: 90000 });

    // the route list: every route with its state and exchange counters
    await win.getByText('routes', { exact: true }).first().click();
    await win.getByRole('columnheader', { name: /Completed/ }).first().waitFor({ timeout: 30000 });
    await win.waitForTimeout(2000);
    await win.screenshot({ path: path.join(out, 'routes.png') });

    // the transcode route's diagram, with the counters of each step
    await win.getByText('transcode', { exact: true }).first().click();
    await win.getByText('Route Diagram', { exact: true }).first().click();
    await win.getByText('ffmpeg', { exact: false }).first().waitFor({ timeout: 30000 });
    await win.waitForTimeout(3000);
    await win.screenshot({ path: path.join(out, 'transcode-diagram.png') });
    if (await win.locator('#connect-login-form-username').count() > 0) {
      throw new Error('the login dialog is still shown');
    }
    console.log('screenshots in', out, '; now at', win.url());
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch(e => { console.error(e); process.exit(1); });
