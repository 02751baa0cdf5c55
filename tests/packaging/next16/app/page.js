'use client';
// createClient() at module scope of a client component, as apps write it:
// during `next build` (prerendering) and on each server render this runs in
// Node, where it must reject quietly (no unhandled rejection); in the browser
// it is the page's client.
import { useEffect } from 'react';
import * as sdk from 'schacc-sdk';
import { report, world } from './check.js';

const here = world();
const ready = sdk.createClient({ clientId: here?.client ?? 'prerender', server: here?.server ?? 'https://login.schacc.example' });

export default function Page() {
  useEffect(() => {
    ready
      .then(async (client) => ({ ok: true, logoutUrl: client.logoutUrl(), userStatus: (await client.hasSession()).userStatus }))
      .catch((error) => ({ ok: false, error: String(error), code: error.code }))
      .then(report);
  }, []);
  return <p>packaging app (Next.js)</p>;
}
