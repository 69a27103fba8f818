// Opens the Aisle settings page in Debian's headless Chromium, logged in, and saves a
// screenshot. Exits non-zero on a JS console error, a page error, or PHP notice text in the page.
// Usage: node settings-page.mjs BASE_URL USER PASSWORD OUT.png
import { logIn, session } from './browser.mjs';

const [ base, user, pass, out ] = process.argv.slice( 2 );
const run = session( base );
const { problems } = run;
const browser = await run.launch();
try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 900 } } );
	// A validation error is provoked below on purpose: that one 400 is expected.
	await run.watch( page, { allow: ( r ) => r.status() === 400 && r.request().method() === 'POST' && ( r.url().includes( 'aisle%2Fv1%2Fsettings' ) || r.url().includes( '/aisle/v1/settings' ) ) } );
	await logIn( page, base, user, pass );
	await page.goto( base + '/wp-admin/admin.php?page=aisle&tab=settings' );
	// Rendered by admin.js from the REST routes: wait until all three answered.
	await page.waitForFunction( () => document.getElementById( 'aisle-key-source' ).textContent !== ''
		&& document.getElementById( 'aisle-sync-text' ).textContent !== ''
		&& document.getElementById( 'aisle-license-status' ).textContent !== '' );
	await page.screenshot( { path: out, fullPage: true } );
	// A validation error is shown next to its field.
	await page.fill( '#aisle-support_email', 'not-an-email' );
	await page.click( '#aisle-save' );
	await page.waitForFunction( () => document.querySelector( '.aisle-field-error[data-field="support_email"]' ).textContent !== '' );
	const html = await page.content();
	for ( const needle of [ 'Fatal error', 'Warning: ', 'Notice: ', 'Deprecated: ' ] ) {
		if ( html.includes( needle ) ) {
			problems.push( 'page contains "' + needle + '"' );
		}
	}
	for ( const section of [ 'ai', 'license', 'appearance', 'assistant', 'catalog', 'remote', 'advanced' ] ) {
		if ( ! ( await page.$( '#aisle-section-' + section ) ) ) {
			problems.push( 'missing section ' + section );
		}
	}
} catch ( e ) {
	problems.push( 'exception: ' + e.message );
} finally {
	await run.finish( 'settings page ok: ' + out );
}
