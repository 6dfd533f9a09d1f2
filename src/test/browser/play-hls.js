// Plays the page HlsBrowserTest serves in Debian's chromium (headless, loopback only), forces the lowest then the
// highest rung, and prints one JSON line: what hls.js reported and what the video element played at each rung.
//   node play-hls.js <page URL> <fresh user data dir>
const { chromium } = require('playwright-core');

const [url, userDataDir] = process.argv.slice(2);

async function until(page, condition, arg, what, ms) {
  try {
    await page.waitForFunction(condition, arg, { timeout: ms, polling: 100 });
  } catch (e) {
    throw new Error('timed out waiting for ' + what + ': ' + JSON.stringify(await page.evaluate(() => window.report)));
  }
}

(async () => {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
  const result = { played: [] };
  try {
    const page = await context.newPage();
    page.on('console', m => { if (m.type() === 'error') (result.console = result.console || []).push(m.text()); });
    await page.goto(url);
    await until(page, () => window.report.levels.length > 0, null, 'the master playlist', 20000);
    const levels = await page.evaluate(() => window.report.levels.length);
    // each rung in turn, lowest first (hls.js sorts them by bit rate): forced, then played for at least a second
    // (the page starts on level 0; a forced switch aborts a fragment still loading, which hls.js reports as an error,
    // so the switch comes once the rung before it is loaded to its end)
    for (const level of [0, levels - 1]) {
      await until(page, () => {
        const current = window.hls.levels[window.hls.currentLevel];
        return current && current.details && window.report.fragments.some(f => f.type === 'main'
            && f.level === window.hls.currentLevel && f.sn === current.details.endSN);
      }, null, 'the rung before level ' + level + ' loaded to its end', 20000);
      await page.evaluate(l => { if (window.hls.currentLevel !== l) window.hls.currentLevel = l; }, level);
      await until(page, l => window.report.switched.includes(l) && window.hls.currentLevel === l, level,
          'the switch to level ' + level, 20000);
      const start = await page.evaluate(() => document.getElementById('video').currentTime);
      await until(page, s => document.getElementById('video').currentTime > s + 1, start,
          'playback on level ' + level, 20000);
      result.played.push(await page.evaluate(l => {
        const v = document.getElementById('video');
        return { level: l, currentTime: v.currentTime, videoWidth: v.videoWidth, videoHeight: v.videoHeight,
          decodedFrames: v.getVideoPlaybackQuality().totalVideoFrames, paused: v.paused };
      }, level));
    }
    result.report = await page.evaluate(() => Object.assign(window.report,
        { audioTracks: window.hls.audioTracks.map(t => ({ name: t.name, groupId: t.groupId, channels: t.attrs.CHANNELS })) }));
  } catch (e) {
    result.failure = String(e.message || e);
  } finally {
    await context.close();
  }
  console.log(JSON.stringify(result));
})();
