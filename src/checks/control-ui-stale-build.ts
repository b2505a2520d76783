/**
 * The browser runs a Control UI bundle older than the gateway that served it (the gateway was
 * updated while the tab stayed open, or a cache kept the old bundle). Not the same failure as a
 * client built for another protocol version (close 1002, `protocol-mismatch`): a reload fixes this one.
 */
import { clientEvidence, clientName, recordsOf } from './client-records.js';
import { defineCheck } from './check.js';

export const controlUiStaleBuild = defineCheck({
  id: 'control-ui-stale-build',
  severity: 'error',
  title: 'The Control UI page is older than the gateway: reload it',
  fixes: [],
  detect(view) {
    const url = view.facts.target.httpUrl;
    return recordsOf(view, 'stale-control-ui').map((h) => ({
      detail: `${clientName(h)} runs a Control UI build that does not match the gateway's: the gateway was updated after the page was loaded. A hard reload loads the current build; the token is not the problem.`,
      evidence: clientEvidence(view, h),
      advice: [`# hard-reload the Control UI tab (Ctrl+Shift+R, or Cmd+Shift+R on a Mac): ${h.origin ?? url}/`, '# or use its "Refresh page" button'],
    }));
  },
});
