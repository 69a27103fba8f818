// A mail the test site sent (the mail catcher's record: to, subject, message, headers) drawn as a
// mail client shows a plain-text mail, for the screenshot of what the store receives.
// Usage: node mail.mjs OUT.png < mail.json
import { readFileSync } from 'node:fs';
import { session } from './browser.mjs';

const [ out ] = process.argv.slice( 2 );
const mail = JSON.parse( readFileSync( 0, 'utf8' ) );
const run = session( 'about:blank', 'mail' );
const browser = await run.launch();
try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 800 } } );
	await run.watch( page );
	const headers = ( Array.isArray( mail.headers ) ? mail.headers : String( mail.headers || '' ).split( /\r?\n/ ) ).filter( Boolean );
	const from = headers.find( ( h ) => /^from:/i.test( h ) )?.replace( /^from:\s*/i, '' ) || 'WordPress';
	// Text only: the mail is set as textContent, never parsed as HTML.
	await page.setContent( `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Mail</title><style>
		body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#eef0f3;color:#1d2327}
		.client{max-width:860px;margin:32px auto;background:#fff;border:1px solid #c3c4c7;border-radius:8px;box-shadow:0 2px 10px rgba(0,0,0,.08)}
		header{padding:18px 24px;border-bottom:1px solid #dcdcde} h1{font-size:20px;margin:0 0 8px}
		dl{display:grid;grid-template-columns:70px 1fr;gap:2px 8px;margin:0;color:#50575e} dt{font-weight:600}
		pre{margin:0;padding:20px 24px;font:15px/1.6 ui-monospace,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
		</style></head><body><div class="client"><header><h1 id="s"></h1><dl><dt>From</dt><dd id="f"></dd><dt>To</dt><dd id="t"></dd></dl></header><pre id="m"></pre></div></body></html>` );
	await page.evaluate( ( m ) => {
		document.getElementById( 's' ).textContent = m.subject;
		document.getElementById( 'f' ).textContent = m.from;
		document.getElementById( 't' ).textContent = m.to;
		document.getElementById( 'm' ).textContent = m.message;
	}, { subject: String( mail.subject ), from, to: [].concat( mail.to ).join( ', ' ), message: String( mail.message ) } );
	run.check( ( await page.textContent( '#m' ) ) === String( mail.message ), 'the mail text is shown as sent' );
	await page.screenshot( { path: out } );
} catch ( e ) {
	run.problems.push( 'exception: ' + e.message );
} finally {
	await run.finish( 'mail ok' );
}
