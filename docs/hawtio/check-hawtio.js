// Connects a locally running Hawtio to the service's Jolokia and takes screenshots, headless (see README, Monitoring).
//   npm install playwright-core@1   (uses the system's Chromium: apt-get install chromium)
//   HAWTIO=http://localhost:8090 SERVICE_PORT=8080 JOLOKIA_USER=... JOLOKIA_PASSWORD=... node docs/hawtio/check-hawtio.js
const { chromium } = require('playwright-core');

(async () => {
  const hawtio = process.env.HAWTIO || 'http://localhost:8090';
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  const page = await context.newPage();
  await page.goto(hawtio + '/hawtio/jvm/connect', { waitUntil: 'networkidle' });
  await page.click('text=Add connection');
  await page.fill('#connection-name', 'media-compression');
  await page.selectOption('#connection-scheme', 'http');
  await page.fill('#connection-host', 'localhost');
  await page.fill('#connection-port', process.env.SERVICE_PORT || '8080');
  await page.fill('#connection-path', '/observe/jolokia');
  await page.click('.modal-footer button:has-text("Add")');
  await page.waitForTimeout(1000);
  // Connect opens the connection in a new window, which asks for the Jolokia credentials
  const [win] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: 'Connect', exact: true }).click(),
  ]);
  await win.waitForLoadState('networkidle').catch(() => {});
  await win.fill('#connection-username', process.env.JOLOKIA_USER);
  await win.fill('#connection-password', process.env.JOLOKIA_PASSWORD);
  await win.keyboard.press('Enter');
  await win.waitForTimeout(6000);
  await win.screenshot({ path: 'hawtio-routes.png' });
  await win.click('text=transcode');
  await win.waitForTimeout(2000);
  await win.click('text=Route Diagram');
  await win.waitForTimeout(5000);
  await win.screenshot({ path: 'hawtio-transcode-diagram.png' });
  console.log('screenshots: hawtio-routes.png, hawtio-transcode-diagram.png; now at', win.url());
  await browser.close();
})();
