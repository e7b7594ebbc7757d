/** Debian's Chromium: the browser the suites drive (playwright-core downloads none). */
export const CHROMIUM = '/usr/bin/chromium';
